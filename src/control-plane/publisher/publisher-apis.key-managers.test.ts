import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { keyManagerAdminRoutes } from '../admin/index.js';
import { publisherRoutes } from './index.js';
import { importZip, zipFixture } from './test-support/api-project-zips.js';
import { adminAuth, apiBody, counts, PUB, registerKeyManager } from './test-support/publisher-fixtures.js';

// An API's `keyManagers` on save, as WSO2 4.x APIProviderImpl.validateKeyManagers: unknown names → 400 901403
// "Key Manager(s) Not found :a , b"; no usable (enabled, or already listed) key manager → 404 901411.

const errorOf = (r: { statusCode: number; json(): { code: number; description: string } }) => ({
  status: r.statusCode,
  code: r.json().code,
  description: r.json().description,
});

for (const d of await testDialects()) {
  test(`API keyManagers on ${d.name}: create and update accept only all and existing key managers`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), keyManagerAdminRoutes()]);
    try {
      await registerKeyManager(h, 'Okta');
      await registerKeyManager(h, 'Parked', false);
      const post = (keyManagers: unknown) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: apiBody({ keyManagers }),
        });

      const before = await counts(h);
      const unknown = await post(['Okta', 'Nope', 'all', 'okta']);
      assert.deepEqual(errorOf(unknown), {
        status: 400,
        code: 901403,
        description: 'Key Manager(s) Not found :Nope , okta',
      });
      assert.equal(unknown.json().message, 'Bad Request');
      assert.deepEqual(errorOf(await post([])), {
        status: 404,
        code: 901411,
        description: 'API must have at least one valid and enabled key manager configured',
      });
      assert.deepEqual(errorOf(await post(['Parked'])), {
        status: 404,
        code: 901411,
        description: 'API must have at least one valid and enabled key manager configured',
      });
      assert.deepEqual(await counts(h), before, 'nothing written');

      for (const ok of [['all'], ['Resident Key Manager'], ['Okta', 'Parked'], ['all', 'Parked']]) {
        const r = await post(ok);
        assert.equal(r.statusCode, 201, `${JSON.stringify(ok)}: ${r.body}`);
        assert.deepEqual(r.json().keyManagers, ok);
        const del = await h.app.inject({
          method: 'DELETE',
          url: `${PUB}/apis/${r.json().id}`,
          headers: adminAuth,
        });
        assert.equal(del.statusCode, 200, del.body);
      }

      const created = await post(['Okta', 'Parked']);
      const id = created.json().id as string;
      const put = (keyManagers: unknown) =>
        h.app.inject({
          method: 'PUT',
          url: `${PUB}/apis/${id}`,
          headers: adminAuth,
          payload: { ...(created.json() as Record<string, unknown>), keyManagers },
        });
      assert.deepEqual(errorOf(await put(['Okta', 'Gone'])), {
        status: 400,
        code: 901403,
        description: 'Key Manager(s) Not found :Gone',
      });
      // A disabled key manager the API already lists stays usable on an update (WSO2 keeps existing ones).
      assert.equal((await put(['Parked'])).statusCode, 200);
      assert.deepEqual(errorOf(await put([])).status, 404);
      const stored = await h.app.inject({ url: `${PUB}/apis/${id}`, headers: adminAuth });
      assert.deepEqual(stored.json().keyManagers, ['Parked'], 'a refused PUT wrote nothing');
    } finally {
      await h.close();
    }
  });

  test(`API import on ${d.name}: a WSO2 export naming an unknown key manager is refused (400 901403), nothing written`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), keyManagerAdminRoutes()]);
    try {
      const files = unzipSync(zipFixture('PizzaShackAPI-1.0.0'));
      const yamlPath = 'PizzaShackAPI-1.0.0/api.yaml';
      const yaml = strFromU8(files[yamlPath] as Uint8Array);
      assert.match(yaml, /keyManagers:\n {4}- all\n/);
      const naming = (km: string) =>
        zipSync({
          ...files,
          [yamlPath]: strToU8(yaml.replace(/keyManagers:\n {4}- all\n/, `keyManagers:\n    - ${km}\n`)),
        });

      const before = await counts(h);
      const refused = await importZip(h, naming('Okta'));
      assert.deepEqual(errorOf(refused), {
        status: 400,
        code: 901403,
        description: 'Key Manager(s) Not found :Okta',
      });
      assert.deepEqual(await counts(h), before, 'nothing written');

      await registerKeyManager(h, 'Okta');
      const ok = await importZip(h, naming('Okta'));
      assert.equal(ok.statusCode, 200, ok.body);
      const api = await h.app.inject({ url: `${PUB}/apis/${ok.json().id}`, headers: adminAuth });
      assert.deepEqual(api.json().keyManagers, ['Okta']);
    } finally {
      await h.close();
    }
  });
}
