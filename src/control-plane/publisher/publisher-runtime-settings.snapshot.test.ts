import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { keyManagerAdminRoutes } from '../admin/index.js';
import { adminAuth, PUB, publishedApi, registerKeyManager } from './test-support/publisher-fixtures.js';

const DEFAULT_ENV = [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }];

/** A new revision of `id` deployed to Default, then the snapshot's entry for it. */
async function deployedSnapshotApi(h: Harness, id: string) {
  const rev = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/${id}/revisions`,
    headers: adminAuth,
    payload: { description: 'settings' },
  });
  assert.equal(rev.statusCode, 201, rev.body);
  const dep = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis/${id}/deploy-revision?revisionId=${rev.json().id}`,
    headers: adminAuth,
    payload: DEFAULT_ENV,
  });
  assert.equal(dep.statusCode, 201, dep.body);
  const snap = await h.ctx.snapshots.rebuild();
  const api = snap.apis.find((a) => a.id === id);
  assert.ok(api);
  return api;
}

for (const d of await testDialects()) {
  test(`corsConfiguration, maxTps and keyManagers set by PUT reach the gateway snapshot on ${d.name}`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), keyManagerAdminRoutes()]);
    try {
      await registerKeyManager(h, 'Okta');
      const id = await publishedApi(h);
      // Defaults: no API CORS ([apim.cors] applies), no backend limit, every key manager.
      const initial = await deployedSnapshotApi(h, id);
      assert.equal(initial.cors, null);
      assert.equal(initial.maxTps, null);
      assert.deepEqual(initial.keyManagers, ['all']);

      const current = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth })
      ).json();
      const put = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: adminAuth,
        payload: {
          ...current,
          corsConfiguration: {
            corsConfigurationEnabled: true,
            accessControlAllowOrigins: ['https://shop.example'],
            accessControlAllowCredentials: true,
            accessControlAllowHeaders: ['authorization'],
            accessControlAllowMethods: ['GET', 'POST'],
          },
          maxTps: { production: 100, productionTimeUnit: 'MINUTE', sandbox: 5, sandboxTimeUnit: 'SECOND' },
          keyManagers: ['Resident Key Manager', 'Okta'],
        },
      });
      assert.equal(put.statusCode, 200, put.body);
      const api = await deployedSnapshotApi(h, id);
      assert.deepEqual(api.cors, {
        allowOrigins: ['https://shop.example'],
        allowMethods: ['GET', 'POST'],
        allowHeaders: ['authorization'],
        allowCredentials: true,
      });
      assert.deepEqual(api.maxTps, {
        production: { count: 100, unitMs: 60_000 },
        sandbox: { count: 5, unitMs: 1000 },
      });
      assert.deepEqual(api.keyManagers, ['Resident Key Manager', 'Okta']);

      // A configuration kept but disabled is stored and returned, and the gateway falls back to [apim.cors].
      const again = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth })
      ).json();
      const off = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: adminAuth,
        payload: {
          ...again,
          corsConfiguration: { ...again.corsConfiguration, corsConfigurationEnabled: false },
          maxTps: { sandbox: 5, sandboxTimeUnit: 'HOUR' },
        },
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.equal(off.json().corsConfiguration.accessControlAllowOrigins[0], 'https://shop.example');
      const disabled = await deployedSnapshotApi(h, id);
      assert.equal(disabled.cors, null);
      assert.deepEqual(disabled.maxTps, { production: null, sandbox: { count: 5, unitMs: 3_600_000 } });

      // Malformed input: 400 naming the field, nothing written.
      const bad = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: adminAuth,
        payload: { ...again, maxTps: { production: -1 } },
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.json().description, /maxTps\.production/);
      const after = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth })
      ).json();
      assert.deepEqual(after.maxTps, { sandbox: 5, sandboxTimeUnit: 'HOUR', productionTimeUnit: 'SECOND' });
    } finally {
      await h.close();
    }
  });
}
