import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { fakeClock } from '../../src/core/index.js';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import { INTERNAL_KEY_VALIDITY_SECONDS } from '../../src/control-plane/publisher/internal-key-service.js';
import {
  adminAuth,
  PUB,
  publishedApi,
  userAuth,
} from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { wso2SchemaCheck } from './devportal-openapi-schema.js';

const FORBIDDEN =
  '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}';
const schema = wso2SchemaCheck('publisher-api.json');

async function generateKey(h: Harness, apiId: string, auth = adminAuth) {
  return h.app.inject({ method: 'POST', url: `${PUB}/apis/${apiId}/generate-key`, headers: auth });
}

/** The gateway's status for `path` with `headers` once it equals `want`, or the last one after about 2 s. */
async function settle(
  call: (p: string, hd: Record<string, string>) => Promise<{ status: number; body: string }>,
  path: string,
  headers: Record<string, string>,
  want: number,
) {
  let last = { status: 0, body: '' };
  for (let i = 0; i < 200; i++) {
    last = await call(path, headers);
    if (last.status === want) break;
    await sleep(10);
  }
  return last;
}

for (const d of await testDialects()) {
  test(`internal API keys on ${d.name}: generate-key, accepted in Internal-Key for its API only, without subscription; dead with the API`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { fakeTime: true });
    const s = await apiKeyGatewayStack(h);
    try {
      const endpointConfig = {
        endpoint_type: 'http',
        production_endpoints: { url: `${s.upstreamUrl}/backend` },
      };
      const alpha = await publishedApi(h, {
        name: 'Alpha',
        context: '/alpha',
        endpointConfig,
        securityScheme: ['oauth2', 'api_key'],
        operations: [{ target: '/*', verb: 'GET' }],
      });
      const beta = await publishedApi(h, {
        name: 'Beta',
        context: '/beta',
        endpointConfig,
        operations: [{ target: '/*', verb: 'GET' }],
      });

      const res = await generateKey(h, alpha);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{ apikey: string; validityTime: number }>();
      schema('APIKey', body);
      assert.equal(body.validityTime, INTERNAL_KEY_VALIDITY_SECONDS);
      const key = body.apikey;
      const [header, payload] = key
        .split('.')
        .slice(0, 2)
        .map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
      assert.equal(header.alg, 'RS256');
      assert.equal(header.kid, h.primaryKey.alias);
      assert.equal(payload.token_type, 'InternalKey');
      assert.equal(payload.api_id, alpha);
      assert.equal(payload.exp - payload.iat, INTERNAL_KEY_VALIDITY_SECONDS);
      assert.deepEqual(
        payload.subscribedAPIs.map((a: { context: string; version: string }) => [a.context, a.version]),
        [['/alpha/1.0.0', '1.0.0']],
      );

      // Its API, with no subscription at all; the key does not reach the backend.
      const ok = await settle(s.call, '/alpha/1.0.0/menu', { 'Internal-Key': key }, 200);
      assert.equal(ok.status, 200, ok.body);
      const seen = s.seen.at(-1)!;
      assert.equal(seen.url, '/backend/menu');
      assert.equal(seen.headers['internal-key'], undefined);

      // Another API: WSO2's subscription fault (validateAPISubscription), 403 900908.
      const other = await settle(s.call, '/beta/1.0.0/menu', { 'Internal-Key': key }, 403);
      assert.equal(other.status, 403);
      assert.equal(other.body, FORBIDDEN);

      // Only in Internal-Key: as an API key or a bearer token it is not a credential.
      const asApiKey = await s.call('/alpha/1.0.0/menu', { apikey: key });
      assert.equal(asApiKey.status, 401);
      assert.equal(JSON.parse(asApiKey.body).code, '900901');
      const asBearer = await s.call('/alpha/1.0.0/menu', { authorization: `Bearer ${key}` });
      assert.equal(asBearer.status, 401);
      assert.equal(JSON.parse(asBearer.body).code, '900901');
      const empty = await s.call('/alpha/1.0.0/menu', { 'Internal-Key': '' });
      assert.equal(empty.status, 401);
      assert.equal(JSON.parse(empty.body).code, '900902', 'an empty header is no credential');

      // REST refusals: unknown API, no credentials, a subscriber without Publisher scopes.
      assert.equal((await generateKey(h, '00000000-0000-0000-0000-000000000000')).statusCode, 404);
      const anonymous = await h.app.inject({ method: 'POST', url: `${PUB}/apis/${alpha}/generate-key` });
      assert.equal(anonymous.statusCode, 401);
      const sam = await userAuth(h, 'sam', ['subscriber']);
      assert.equal((await generateKey(h, alpha, sam)).statusCode, 403);

      // Expired: one hour plus the clock skew later.
      const later = await generateKey(h, beta);
      const betaKey = later.json().apikey as string;
      assert.equal((await s.call('/beta/1.0.0/menu', { 'Internal-Key': betaKey })).status, 200);
      (h.clock as ReturnType<typeof fakeClock>).advance((INTERNAL_KEY_VALIDITY_SECONDS + 301) * 1000);
      const expired = await s.call('/beta/1.0.0/menu', { 'Internal-Key': betaKey });
      assert.equal(expired.status, 401);
      assert.equal(JSON.parse(expired.body).code, '900901');

      // Deleted: the API is gone from the gateway; a new API on the same context does not take the key.
      const fresh = (await generateKey(h, alpha)).json().apikey as string;
      assert.equal((await s.call('/alpha/1.0.0/menu', { 'Internal-Key': fresh })).status, 200);
      const del = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${alpha}`, headers: adminAuth });
      assert.equal(del.statusCode, 200, del.body);
      const gone = await settle(s.call, '/alpha/1.0.0/menu', { 'Internal-Key': fresh }, 404);
      assert.equal(gone.status, 404, gone.body);
      const successor = await publishedApi(h, {
        name: 'Alpha',
        context: '/alpha',
        endpointConfig,
        operations: [{ target: '/*', verb: 'GET' }],
      });
      const own = (await generateKey(h, successor)).json().apikey as string;
      assert.equal((await settle(s.call, '/alpha/1.0.0/menu', { 'Internal-Key': own }, 200)).status, 200);
      const stale = await s.call('/alpha/1.0.0/menu', { 'Internal-Key': fresh });
      assert.equal(stale.status, 403);
      assert.equal(stale.body, FORBIDDEN);
    } finally {
      await s.close();
      await h.close();
    }
  });
}
