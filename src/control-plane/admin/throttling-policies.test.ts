import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../publisher/index.js';
import {
  ADM,
  adminAuth,
  apiBody,
  counts,
  PUB,
  userAuth,
} from '../publisher/test-support/publisher-fixtures.js';
import { throttlingPolicyRoutes } from './index.js';

const URL_SUB = `${ADM}/throttling/policies/subscription`;
const platinum = {
  policyName: 'Platinum',
  displayName: 'Platinum',
  description: 'Allows 10000 requests per minute',
  defaultLimit: {
    type: 'REQUESTCOUNTLIMIT',
    requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 10000 },
  },
  rateLimitCount: 20,
  rateLimitTimeUnit: 'sec',
  stopOnQuotaReach: false,
  billingPlan: 'COMMERCIAL',
};

for (const d of await testDialects()) {
  test(`admin subscription policies on ${d.name}: CRUD, snapshot with burst, events`, async () => {
    const h = await createHarness(await d.open(), [throttlingPolicyRoutes]);
    try {
      const deltas = h.recordDeltas();
      const seeded = await h.app.inject({ method: 'GET', url: URL_SUB, headers: adminAuth });
      assert.equal(seeded.statusCode, 200);
      // WSO2's five tiers and DefaultSubscriptionless (migration 010).
      assert.equal(seeded.json().count, 6);
      assert.ok(
        seeded.json().list.some((p: { policyName: string }) => p.policyName === 'DefaultSubscriptionless'),
      );
      const gold = seeded.json().list.find((p: { policyName: string }) => p.policyName === 'Gold');
      assert.deepEqual(gold.defaultLimit, {
        type: 'REQUESTCOUNTLIMIT',
        requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 5000 },
      });

      const created = await h.app.inject({
        method: 'POST',
        url: URL_SUB,
        headers: adminAuth,
        payload: platinum,
      });
      assert.equal(created.statusCode, 201, created.body);
      const p = created.json();
      assert.equal(created.headers.location, `${URL_SUB}/${p.policyId}`);
      assert.deepEqual(p, {
        policyId: p.policyId,
        policyName: 'Platinum',
        displayName: 'Platinum',
        description: 'Allows 10000 requests per minute',
        isDeployed: true,
        type: 'SubscriptionThrottlePolicy',
        defaultLimit: {
          type: 'REQUESTCOUNTLIMIT',
          requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 10000 },
        },
        rateLimitCount: 20,
        rateLimitTimeUnit: 'sec',
        stopOnQuotaReach: false,
        billingPlan: 'COMMERCIAL',
        customAttributes: [],
        subscriberCount: 0,
        graphQLMaxComplexity: 0,
        graphQLMaxDepth: 0,
        permissions: null,
      });
      assert.ok(
        (await deltas.all()).some(
          (d) => d.kind === 'policy' && d.key === 'subscription:Platinum' && d.policy?.name === 'Platinum',
        ),
      );
      let snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.policies.find((x) => x.name === 'Platinum' && x.level === 'subscription'),
        {
          name: 'Platinum',
          level: 'subscription',
          requestCount: 10000,
          unitTimeMs: 60000,
          stopOnQuotaReach: false,
          burst: { limit: 20, unit: 'sec' },
        },
      );

      const got = await h.app.inject({ method: 'GET', url: `${URL_SUB}/${p.policyId}`, headers: adminAuth });
      assert.deepEqual(got.json(), p);
      const put = await h.app.inject({
        method: 'PUT',
        url: `${URL_SUB}/${p.policyId}`,
        headers: adminAuth,
        payload: {
          ...p,
          rateLimitCount: 5,
          rateLimitTimeUnit: 'min',
          defaultLimit: {
            type: 'REQUESTCOUNTLIMIT',
            requestCount: { timeUnit: 'hour', unitTime: 2, requestCount: 100 },
          },
        },
      });
      assert.equal(put.statusCode, 200, put.body);
      snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.policies.find((x) => x.name === 'Platinum'),
        {
          name: 'Platinum',
          level: 'subscription',
          requestCount: 100,
          unitTimeMs: 7_200_000,
          stopOnQuotaReach: false,
          burst: { limit: 5, unit: 'min' },
        },
      );
      const rename = await h.app.inject({
        method: 'PUT',
        url: `${URL_SUB}/${p.policyId}`,
        headers: adminAuth,
        payload: { ...p, policyName: 'Diamond' },
      });
      assert.equal(rename.statusCode, 400);

      const dup = await h.app.inject({ method: 'POST', url: URL_SUB, headers: adminAuth, payload: platinum });
      assert.equal(dup.statusCode, 409);
      const del = await h.app.inject({
        method: 'DELETE',
        url: `${URL_SUB}/${p.policyId}`,
        headers: adminAuth,
      });
      assert.equal(del.statusCode, 200);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: `${URL_SUB}/${p.policyId}`, headers: adminAuth })).json()
          .errorCode,
        'POLICY_NOT_FOUND',
      );
      assert.equal(
        (await h.app.inject({ method: 'DELETE', url: `${URL_SUB}/${p.policyId}`, headers: adminAuth }))
          .statusCode,
        404,
      );
      snap = await h.ctx.snapshots.rebuild();
      assert.equal(
        snap.policies.find((x) => x.name === 'Platinum'),
        undefined,
      );
      assert.ok(
        (await deltas.all()).some((d) => d.kind === 'policy' && d.policy === null),
        'the removal is relayed',
      );
    } finally {
      await h.close();
    }
  });

  test(`admin policies on ${d.name}: application and advanced levels, validation, in-use, security`, async () => {
    const h = await createHarness(await d.open(), [throttlingPolicyRoutes, publisherRoutes()]);
    try {
      const before = await counts(h);
      const bads: [string, unknown, RegExp, string?][] = [
        ['subscription', { ...platinum, policyName: 'has space' }, /policyName is required/],
        ['subscription', { ...platinum, defaultLimit: undefined }, /defaultLimit is required/],
        [
          'subscription',
          {
            ...platinum,
            defaultLimit: {
              type: 'REQUESTCOUNTLIMIT',
              requestCount: { timeUnit: 'year', unitTime: 1, requestCount: 5 },
            },
          },
          /timeUnit must be one of/,
        ],
        [
          'subscription',
          {
            ...platinum,
            defaultLimit: {
              type: 'REQUESTCOUNTLIMIT',
              requestCount: { timeUnit: 'min', unitTime: 0, requestCount: 5 },
            },
          },
          /unitTime must be an integer/,
        ],
        [
          'subscription',
          { ...platinum, rateLimitTimeUnit: 'hour' },
          /rateLimitTimeUnit must be 'sec' or 'min'/,
        ],
        ['subscription', { ...platinum, billingPlan: 'PAID' }, /billingPlan/],
        [
          'subscription',
          { ...platinum, defaultLimit: { type: 'BANDWIDTHLIMIT', bandwidth: {} } },
          /Bandwidth limits are not supported/,
          'UNSUPPORTED_OPERATION',
        ],
        [
          'advanced',
          { policyName: 'Adv', defaultLimit: platinum.defaultLimit, conditionalGroups: [{}] },
          /Conditional groups/,
          'UNSUPPORTED_OPERATION',
        ],
        // A field of another level (or of no level) is named, not dropped.
        ['advanced', platinum, /rateLimitCount is not a field of the advanced policy/, 'UNSUPPORTED_FIELD'],
        [
          'subscription',
          { ...platinum, subscriberCount: 10 },
          /subscriberCount is not supported/,
          'UNSUPPORTED_FIELD',
        ],
        [
          'subscription',
          { ...platinum, defaultLimit: { ...platinum.defaultLimit, eventCount: { eventCount: 5 } } },
          /defaultLimit.eventCount is not supported/,
          'UNSUPPORTED_FIELD',
        ],
        ['application', 'nope', /body must be object/],
      ];
      for (const [level, body, message, code] of bads) {
        const r = await h.app.inject({
          method: 'POST',
          url: `${ADM}/throttling/policies/${level}`,
          headers: { ...adminAuth, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        assert.equal(r.statusCode, 400, `${level} ${JSON.stringify(body)}: ${r.body}`);
        assert.equal(r.json().errorCode, code ?? 'VALIDATION_FAILED');
        assert.match(r.json().description, message);
      }
      assert.deepEqual(await counts(h), before);

      const limit = (n: number) => ({
        type: 'REQUESTCOUNTLIMIT',
        requestCount: { timeUnit: 'sec', unitTime: 1, requestCount: n },
      });
      const app5 = await h.app.inject({
        method: 'POST',
        url: `${ADM}/throttling/policies/application`,
        headers: adminAuth,
        payload: { policyName: '5PerSec', defaultLimit: limit(5) },
      });
      assert.equal(app5.statusCode, 201);
      assert.equal(app5.json().type, 'ApplicationThrottlePolicy');
      assert.equal(app5.json().rateLimitCount, undefined);
      const adv = await h.app.inject({
        method: 'POST',
        url: `${ADM}/throttling/policies/advanced`,
        headers: adminAuth,
        payload: { policyName: '3PerSec', defaultLimit: limit(3) },
      });
      assert.equal(adv.statusCode, 201);
      assert.deepEqual(adv.json().conditionalGroups, []);
      const apps = await h.app.inject({
        method: 'GET',
        url: `${ADM}/throttling/policies/application`,
        headers: adminAuth,
      });
      assert.deepEqual(
        apps
          .json()
          .list.map((x: { policyName: string }) => x.policyName)
          .sort(),
        ['10PerMin', '20PerMin', '50PerMin', '5PerSec', 'Unlimited'],
      );
      const snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.policies.find((x) => x.name === '3PerSec'),
        {
          name: '3PerSec',
          level: 'api',
          requestCount: 3,
          unitTimeMs: 1000,
          stopOnQuotaReach: true,
          burst: null,
        },
      );
      // The id of an advanced policy is not found under another level.
      assert.equal(
        (
          await h.app.inject({
            method: 'GET',
            url: `${ADM}/throttling/policies/subscription/${adv.json().policyId}`,
            headers: adminAuth,
          })
        ).statusCode,
        404,
      );

      // In use by an API → 409; Unlimited is built in → 400.
      const api = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ apiThrottlingPolicy: '3PerSec' }),
      });
      assert.equal(api.statusCode, 201, api.body);
      const inUse = await h.app.inject({
        method: 'DELETE',
        url: `${ADM}/throttling/policies/advanced/${adv.json().policyId}`,
        headers: adminAuth,
      });
      assert.equal(inUse.statusCode, 409);
      const goldId = (await h.app.inject({ method: 'GET', url: URL_SUB, headers: adminAuth }))
        .json()
        .list.find((x: { policyName: string }) => x.policyName === 'Gold').policyId;
      assert.equal(
        (await h.app.inject({ method: 'DELETE', url: `${URL_SUB}/${goldId}`, headers: adminAuth }))
          .statusCode,
        409,
      );
      const unl = (await h.app.inject({ method: 'GET', url: URL_SUB, headers: adminAuth }))
        .json()
        .list.find((x: { policyName: string }) => x.policyName === 'Unlimited').policyId;
      assert.equal(
        (await h.app.inject({ method: 'DELETE', url: `${URL_SUB}/${unl}`, headers: adminAuth })).statusCode,
        400,
      );

      assert.equal((await h.app.inject({ method: 'GET', url: URL_SUB })).statusCode, 401);
      const creator = await userAuth(h, 'carol', ['creator', 'publisher']);
      const denied = await h.app.inject({
        method: 'POST',
        url: URL_SUB,
        headers: creator,
        payload: platinum,
      });
      assert.equal(denied.statusCode, 403);
      // WSO2's admin-api.json lets apim:tier_view read the policies, and creators and publishers hold it (issue 13).
      assert.equal((await h.app.inject({ method: 'GET', url: URL_SUB, headers: creator })).statusCode, 200);
      const subscriber = await userAuth(h, 'sid', ['subscriber']);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: URL_SUB, headers: subscriber })).statusCode,
        403,
      );
    } finally {
      await h.close();
    }
  });
}
