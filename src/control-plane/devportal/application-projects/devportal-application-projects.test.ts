import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'yaml';
import { testDialects } from '../../../../test/support/dialects.js';
import { basic, type Harness } from '../../../../test/support/control-plane-harness.js';
import {
  adminBasic,
  createApplication,
  dumpDatabase,
  fullHarness,
  sampleApiId,
} from '../../../../test/support/full-control-plane.js';
import { multipartBody } from '../../http/test-support/multipart-body.js';
import { publishedApi } from '../../publisher/test-support/publisher-fixtures.js';

const DEV = '/api/am/devportal/v3';
const admin = () => ({ authorization: adminBasic() });

async function post(h: Harness, url: string, payload: unknown) {
  const res = await h.app.inject({ method: 'POST', url, headers: admin(), payload: payload as object });
  assert.ok(res.statusCode < 300, `${url}: ${res.statusCode} ${res.body}`);
  return res.json();
}

async function importZip(h: Harness, zip: Uint8Array, query = '', headers = admin()) {
  const { payload, headers: form } = await multipartBody({ file: { file: zip, filename: 'app.zip' } });
  return h.app.inject({
    method: 'POST',
    url: `${DEV}/applications/import${query}`,
    headers: { ...headers, ...form },
    payload,
  });
}

async function token(h: Harness, consumerKey: string, consumerSecret: string) {
  return h.app.inject({
    method: 'POST',
    url: '/oauth2/token',
    headers: {
      authorization: basic(consumerKey, consumerSecret),
      'content-type': 'application/x-www-form-urlencoded',
    },
    payload: 'grant_type=client_credentials',
  });
}

for (const d of await testDialects()) {
  test(`application export/import on ${d.name}: subscriptions and keys move; the same consumer key and secret get tokens`, async () => {
    const a = await fullHarness(await d.open());
    const b = await fullHarness(await d.open());
    try {
      const appId = await createApplication(a, 'Promoted');
      await post(a, `${DEV}/subscriptions`, {
        applicationId: appId,
        apiId: await sampleApiId(a),
        throttlingPolicy: 'Gold',
      });
      const onlyInA = await publishedApi(a, { name: 'OnlyInA', context: '/only-a', policies: ['Unlimited'] });
      await post(a, `${DEV}/subscriptions`, {
        applicationId: appId,
        apiId: onlyInA,
        throttlingPolicy: 'Unlimited',
      });
      const keys = await post(a, `${DEV}/applications/${appId}/generate-keys`, {
        keyType: 'PRODUCTION',
        grantTypesToBeSupported: ['client_credentials', 'password'],
      });
      assert.equal((await token(a, keys.consumerKey, keys.consumerSecret)).statusCode, 200);

      const exported = await a.app.inject({
        url: `${DEV}/applications/export?appName=Promoted&appOwner=admin&withKeys=true`,
        headers: admin(),
      });
      assert.equal(exported.statusCode, 200, exported.body);
      assert.equal(exported.headers['content-disposition'], 'attachment; filename="admin_Promoted.zip"');
      const files = unzipSync(exported.rawPayload);
      assert.deepEqual(Object.keys(files), ['admin-Promoted/application.yaml']);
      const text = strFromU8(files['admin-Promoted/application.yaml'] as Uint8Array);
      assert.ok(!text.includes(keys.consumerSecret), 'the consumer secret itself is never exported');
      const doc = parse(text);
      assert.equal(doc.type, 'application');
      assert.equal(doc.data.applicationInfo.name, 'Promoted');
      assert.deepEqual(
        doc.data.subscribedAPIs.map((s: { apiId: { apiName: string }; throttlingPolicy: string }) => [
          s.apiId.apiName,
          s.throttlingPolicy,
        ]),
        [
          ['PizzaShackAPI', 'Gold'],
          ['OnlyInA', 'Unlimited'],
        ],
      );
      const key = doc.data.keyManagerWiseOAuthApp.PRODUCTION['Resident Key Manager'];
      assert.equal(key.clientId, keys.consumerKey);
      assert.equal(key.parameters.grant_types, 'client_credentials password');
      assert.match(key.clientSecretHashes[0].hash, /^sha256:/);

      const noKeys = await a.app.inject({
        url: `${DEV}/applications/export?appName=Promoted&appOwner=admin`,
        headers: admin(),
      });
      const noKeysDoc = parse(
        strFromU8(unzipSync(noKeys.rawPayload)['admin-Promoted/application.yaml'] as Uint8Array),
      );
      assert.deepEqual(noKeysDoc.data.keyManagerWiseOAuthApp, {});

      // Into a fresh home: the API only A has is reported (207), the rest is created.
      const imported = await importZip(b, exported.rawPayload, '?preserveOwner=true');
      assert.equal(imported.statusCode, 207, imported.body);
      assert.deepEqual(imported.json(), {
        count: 1,
        list: [{ name: 'OnlyInA', version: '1.0.0', provider: 'admin' }],
      });
      const apps = (await b.app.inject({ url: `${DEV}/applications`, headers: admin() })).json();
      const copy = apps.list.find((x: { name: string }) => x.name === 'Promoted');
      assert.equal(copy.subscriptionCount, 1);
      const copyKeys = (
        await b.app.inject({ url: `${DEV}/applications/${copy.applicationId}/oauth-keys`, headers: admin() })
      ).json();
      assert.deepEqual(
        copyKeys.list.map((k: { consumerKey: string; keyType: string }) => [k.consumerKey, k.keyType]),
        [[keys.consumerKey, 'PRODUCTION']],
      );
      const tok = await token(b, keys.consumerKey, keys.consumerSecret);
      assert.equal(tok.statusCode, 200, tok.body);
      assert.equal((await token(b, keys.consumerKey, `${keys.consumerSecret}x`)).statusCode, 401);

      const again = await importZip(b, exported.rawPayload, '?preserveOwner=true');
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().errorCode, 'APPLICATION_EXISTS');
      const update = await importZip(b, exported.rawPayload, '?preserveOwner=true&update=true');
      assert.equal(update.statusCode, 207, update.body);
      const after = (
        await b.app.inject({ url: `${DEV}/applications/${copy.applicationId}`, headers: admin() })
      ).json();
      assert.equal(after.subscriptionCount, 1);

      // The same consumer key for another application: refused, and nothing written.
      const renamed = strFromU8(files['admin-Promoted/application.yaml'] as Uint8Array).replace(
        'name: Promoted',
        'name: Other',
      );
      const { zipSync, strToU8 } = await import('fflate');
      const other = zipSync({ 'admin-Other/application.yaml': strToU8(renamed) });
      const before = await dumpDatabase(b.store);
      const clash = await importZip(b, other);
      assert.equal(clash.statusCode, 409, clash.body);
      assert.equal(clash.json().errorCode, 'KEYS_ALREADY_GENERATED');
      assert.deepEqual(await dumpDatabase(b.store), before);

      // Another user's view: only the admin may import or export applications.
      await b.ctx.users.create('sub1', 'sub1-password-1', ['subscriber']);
      const forbidden = await importZip(b, other, '', { authorization: basic('sub1', 'sub1-password-1') });
      assert.equal(forbidden.statusCode, 403);
      const missing = await a.app.inject({
        url: `${DEV}/applications/export?appName=Nope&appOwner=admin`,
        headers: admin(),
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'APPLICATION_NOT_FOUND');
    } finally {
      await a.close();
      await b.close();
    }
  });
}
