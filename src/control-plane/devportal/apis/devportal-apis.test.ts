import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../../publisher/index.js';
import {
  adminAuth,
  apiBody,
  DEV,
  PUB,
  publishedApi,
} from '../../publisher/test-support/publisher-fixtures.js';
import { devportalApiRoutes } from './index.js';

for (const d of await testDialects()) {
  test(`devportal APIs on ${d.name}: anonymous browsing of published APIs`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalApiRoutes]);
    try {
      const id = await publishedApi(h, { tags: ['pets'] });
      // Not shown: a CREATED API and a PRIVATE published one.
      const draft = (
        await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: apiBody({ name: 'Draft', context: '/draft' }),
        })
      ).json().id;
      const priv = await publishedApi(h, { name: 'Private', context: '/private', visibility: 'PRIVATE' });

      const list = await h.app.inject({ method: 'GET', url: `${DEV}/apis` });
      assert.equal(list.statusCode, 200);
      const body = list.json();
      assert.equal(body.count, 1);
      assert.deepEqual(body.pagination, { offset: 0, limit: 25, total: 1, next: '', previous: '' });
      const info = body.list[0];
      assert.deepEqual(
        { ...info, createdTime: 'T' },
        {
          id,
          name: 'Petstore',
          description: 'Pets',
          context: '/pets/1.0.0',
          version: '1.0.0',
          type: 'HTTP',
          createdTime: 'T',
          provider: 'admin',
          lifeCycleStatus: 'PUBLISHED',
          thumbnailUri: null,
          avgRating: '0.0',
          throttlingPolicies: ['Gold', 'Unlimited'],
          businessInformation: {},
          isSubscriptionAvailable: true,
          monetizationLabel: 'FREE',
          gatewayVendor: 'wso2',
          additionalProperties: [],
          tags: ['pets'],
        },
      );

      const one = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${id}` });
      assert.equal(one.statusCode, 200);
      const api = one.json();
      assert.equal(api.context, '/pets/1.0.0');
      assert.deepEqual(api.tiers, [
        { tierName: 'Gold', tierPlan: 'FREE', monetizationAttributes: null },
        { tierName: 'Unlimited', tierPlan: 'FREE', monetizationAttributes: null },
      ]);
      assert.deepEqual(api.endpointURLs[0].URLs, {
        http: 'http://localhost:8280/pets/1.0.0',
        https: 'https://localhost:8243/pets/1.0.0',
        ws: null,
        wss: null,
      });
      assert.doesNotMatch(one.body, /127\.0\.0\.1:9/, 'backend endpoints stay private');

      const policies = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${id}/subscription-policies` });
      assert.deepEqual(policies.json()[0], {
        name: 'Gold',
        description: 'Allows 5000 requests per minute',
        policyLevel: 'subscription',
        displayName: 'Gold',
        attributes: {},
        requestCount: 5000,
        dataUnit: null,
        unitTime: 60000,
        timeUnit: 'min',
        rateLimitCount: 0,
        rateLimitTimeUnit: null,
        quotaPolicyType: 'REQUESTCOUNT',
        tierPlan: 'FREE',
        stopOnQuotaReach: true,
        monetizationAttributes: null,
        throttlingPolicyPermissions: null,
      });
      assert.deepEqual(
        policies.json().map((p: { name: string }) => p.name),
        ['Gold', 'Unlimited'],
      );

      const swagger = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${id}/swagger` });
      assert.equal(swagger.statusCode, 200);
      assert.deepEqual(swagger.json().servers, [
        { url: 'https://localhost:8243/pets/1.0.0' },
        { url: 'http://localhost:8280/pets/1.0.0' },
      ]);
      assert.equal(swagger.json()['x-wso2-production-endpoints'], undefined);

      for (const hidden of [draft, priv, '00000000-0000-0000-0000-000000000000']) {
        for (const suffix of ['', '/swagger', '/subscription-policies']) {
          const r = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${hidden}${suffix}` });
          assert.equal(r.statusCode, 404, `${hidden}${suffix}`);
          assert.equal(r.json().errorCode, 'API_NOT_FOUND');
        }
      }

      // Deprecated APIs stay visible; retired ones disappear.
      const lc = (action: string) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/change-lifecycle?apiId=${id}&action=${action}`,
          headers: adminAuth,
        });
      await lc('Deprecate');
      const dep = (await h.app.inject({ method: 'GET', url: `${DEV}/apis` })).json();
      assert.equal(dep.list[0].lifeCycleStatus, 'DEPRECATED');
      assert.equal(dep.list[0].isSubscriptionAvailable, false);
      await lc('Retire');
      assert.equal((await h.app.inject({ method: 'GET', url: `${DEV}/apis` })).json().count, 0);
      assert.equal((await h.app.inject({ method: 'GET', url: `${DEV}/apis?limit=abc` })).statusCode, 400);
    } finally {
      await h.close();
    }
  });
}
