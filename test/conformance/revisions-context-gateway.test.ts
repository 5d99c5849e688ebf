import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import {
  adminAuth,
  apiBody,
  PUB,
  publishedApi,
} from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';

type Stack = Awaited<ReturnType<typeof apiKeyGatewayStack>>;

const internalKey = async (h: Harness, apiId: string) =>
  (
    await h.app.inject({ method: 'POST', url: `${PUB}/apis/${apiId}/generate-key`, headers: adminAuth })
  ).json().apikey as string;

/** The backend path the gateway forwards `path` to once it is `want` (or the last one seen after about 2 s). */
async function backendPathOf(s: Stack, path: string, key: string, want: string): Promise<string> {
  let last = '';
  for (let i = 0; i < 200; i++) {
    const r = await s.call(path, { 'Internal-Key': key });
    last = r.status === 200 ? s.seen.at(-1)!.url : `status ${r.status}`;
    if (last === want) break;
    await sleep(10);
  }
  return last;
}

const endpoint = (s: Stack, path: string) => ({
  endpoint_type: 'http',
  production_endpoints: { url: `${s.upstreamUrl}${path}` },
});

for (const d of await testDialects()) {
  test(`restore-revision on ${d.name}: the gateway serves the restored revision (through the snapshot, like a deployment)`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    const s = await apiKeyGatewayStack(h);
    try {
      const ops = [{ target: '/*', verb: 'GET' }];
      const id = await publishedApi(h, {
        context: '/shop',
        endpointConfig: endpoint(s, '/v1'),
        operations: ops,
      });
      const url = `${PUB}/apis/${id}`;
      const key = await internalKey(h, id);
      assert.equal(await backendPathOf(s, '/shop/1.0.0/menu', key, '/v1/menu'), '/v1/menu');
      const [rev1] = (
        await h.app.inject({ method: 'GET', url: `${url}/revisions`, headers: adminAuth })
      ).json().list as { id: string }[];

      const put = await h.app.inject({
        method: 'PUT',
        url,
        headers: adminAuth,
        payload: apiBody({ context: '/shop', endpointConfig: endpoint(s, '/v2'), operations: ops }),
      });
      assert.equal(put.statusCode, 200, put.body);
      // The working copy alone changes nothing at the gateway.
      assert.equal(await backendPathOf(s, '/shop/1.0.0/menu', key, '/v2/menu'), '/v1/menu');
      const rev2 = await h.app.inject({
        method: 'POST',
        url: `${url}/revisions`,
        headers: adminAuth,
        payload: {},
      });
      await h.app.inject({
        method: 'POST',
        url: `${url}/deploy-revision?revisionId=${rev2.json().id}`,
        headers: adminAuth,
        payload: [{ name: 'Default', vhost: 'localhost' }],
      });
      assert.equal(await backendPathOf(s, '/shop/1.0.0/menu', key, '/v2/menu'), '/v2/menu');

      const restored = await h.app.inject({
        method: 'POST',
        url: `${url}/restore-revision?revisionId=${rev1!.id}`,
        headers: adminAuth,
      });
      assert.equal(restored.statusCode, 201, restored.body);
      assert.equal(restored.json().endpointConfig.production_endpoints.url, `${s.upstreamUrl}/v1`);
      assert.equal(await backendPathOf(s, '/shop/1.0.0/menu', key, '/v1/menu'), '/v1/menu');
    } finally {
      await s.close();
      await h.close();
    }
  });

  test(`{version} in a context template on ${d.name}: the context resolves with the version and the gateway routes on it`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    const s = await apiKeyGatewayStack(h);
    try {
      const ops = [{ target: '/*', verb: 'GET' }];
      const templated = await publishedApi(h, {
        name: 'Templated',
        context: '/{version}/pizzashack',
        version: '2.0.0',
        endpointConfig: endpoint(s, '/pz'),
        operations: ops,
      });
      const dto = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${templated}`, headers: adminAuth })
      ).json();
      assert.equal(dto.context, '/{version}/pizzashack');
      const key = await internalKey(h, templated);
      const payload = JSON.parse(Buffer.from(key.split('.')[1]!, 'base64url').toString());
      assert.equal(payload.subscribedAPIs[0].context, '/2.0.0/pizzashack');
      assert.equal(await backendPathOf(s, '/2.0.0/pizzashack/menu', key, '/pz/menu'), '/pz/menu');
      const wrong = await s.call('/pizzashack/2.0.0/menu', { 'Internal-Key': key });
      assert.equal(wrong.status, 404, 'the context without a placeholder is not where it is served');

      // A trailing placeholder is WSO2's default place for the version: stored and served as without it.
      const trailing = await publishedApi(h, {
        name: 'Trailing',
        context: '/trail/{version}',
        endpointConfig: endpoint(s, '/tr'),
        operations: ops,
      });
      const trailingDto = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${trailing}`, headers: adminAuth })
      ).json();
      assert.equal(trailingDto.context, '/trail');
      const trailKey = await internalKey(h, trailing);
      assert.equal(await backendPathOf(s, '/trail/1.0.0/x', trailKey, '/tr/x'), '/tr/x');

      // The gateway path decides clashes: `/{version}/pizzashack` 2.0.0 is served where no other API may be.
      const clash = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'Clash', context: '/{version}/pizzashack/', version: '2.0.0' }),
      });
      assert.equal(clash.statusCode, 409, clash.body);
      for (const context of [
        '/{version}',
        '/{version}/{version}',
        '/a/{version}/b/{version}',
        '/a/{versions}',
        '/a/{version',
      ]) {
        const bad = await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: apiBody({ name: 'Bad', context }),
        });
        assert.equal(bad.statusCode, 400, `${context}: ${bad.body}`);
        assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
      }
    } finally {
      await s.close();
      await h.close();
    }
  });
}
