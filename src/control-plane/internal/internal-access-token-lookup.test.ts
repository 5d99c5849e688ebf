import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { ADMIN, basic, createHarness } from '../../../test/support/control-plane-harness.js';
import { applicationsRoutes, keysRoutes } from '../devportal/index.js';
import { oauth2Routes } from '../oauth2/index.js';
import { opaqueKeyHash } from '../../crypto/index.js';
import { userAuth } from '../publisher/test-support/publisher-fixtures.js';
import { internalSyncRoutes } from './index.js';

const DP = '/api/am/devportal/v3';

for (const d of await testDialects()) {
  test(`internal access-token lookup on ${d.name}: live token by HMAC for admins, null when unknown or revoked, 400 for a bad hash`, async () => {
    const h = await createHarness(await d.open(), [
      internalSyncRoutes,
      applicationsRoutes,
      keysRoutes,
      oauth2Routes,
    ]);
    try {
      const admin = { authorization: basic(ADMIN.username, ADMIN.password) };
      const json = { ...admin, 'content-type': 'application/json' };
      const app = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: json,
        payload: JSON.stringify({ name: 'Legacy', throttlingPolicy: 'Unlimited', tokenType: 'OAUTH' }),
      });
      assert.equal(app.statusCode, 201, app.body);
      const keys = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${app.json().applicationId}/generate-keys`,
        headers: json,
        payload: JSON.stringify({ keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'] }),
      });
      assert.equal(keys.statusCode, 200, keys.body);
      const token = keys.json().token.accessToken as string;
      const hash = opaqueKeyHash(h.ctx.apiKeyHashSecret, token);
      const lookup = (hs: string, headers: Record<string, string> = admin) =>
        h.app.inject({ method: 'GET', url: `/internal/data/v1/access-tokens/${hs}`, headers });

      const found = await lookup(hash);
      assert.equal(found.statusCode, 200);
      assert.equal(found.headers['cache-control'], 'no-store');
      const body = found.json();
      assert.equal(body.token.hash, hash);
      assert.equal(body.token.consumerKey, keys.json().consumerKey);
      assert.equal(body.token.keyManager, 'Resident Key Manager');
      assert.deepEqual(body.token.scopes, ['default']);
      assert.ok(!found.body.includes(token), 'the answer never holds the token');

      assert.deepEqual((await lookup(opaqueKeyHash(h.ctx.apiKeyHashSecret, `${token}x`))).json(), {
        token: null,
      });
      for (const bad of ['short', `${hash}A`, `${hash.slice(0, 42)}+`]) {
        const r = await lookup(encodeURIComponent(bad));
        assert.equal(r.statusCode, 400, bad);
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
      }
      assert.equal((await lookup(hash, {})).statusCode, 401);
      const pub = await userAuth(h, 'paul', ['publisher', 'creator', 'subscriber']);
      assert.equal((await lookup(hash, pub)).statusCode, 403);

      const rv = await h.app.inject({
        method: 'POST',
        url: '/oauth2/revoke',
        headers: {
          authorization: basic(keys.json().consumerKey, keys.json().consumerSecret),
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: new URLSearchParams({ token }).toString(),
      });
      assert.equal(rv.statusCode, 200);
      assert.deepEqual((await lookup(hash)).json(), { token: null });
    } finally {
      await h.close();
    }
  });
}
