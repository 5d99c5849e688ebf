import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { throttlingPolicyRoutes } from '../../admin/index.js';
import { publisherRoutes } from '../../publisher/index.js';
import {
  ADM,
  adminAuth,
  counts,
  DEV,
  insertApplication,
  publishedApi,
  userAuth,
} from '../../publisher/test-support/publisher-fixtures.js';
import { devportalApiRoutes } from '../apis/index.js';
import { throttlingPoliciesRoutes } from '../throttling-policies/index.js';
import { devportalSubscriptionRoutes } from './index.js';

const TOML = '[user_store]\ncustom_roles = ["gold-partners", "blocked-partners"]\n';
const tier = (policyName: string, permissions: unknown) => ({
  policyName,
  defaultLimit: {
    type: 'REQUESTCOUNTLIMIT',
    requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 100 },
  },
  permissions,
});

async function setUp(h: Harness) {
  for (const body of [
    tier('PartnerGold', { permissionType: 'ALLOW', roles: ['gold-partners'] }),
    tier('NotForBlocked', { permissionType: 'DENY', roles: ['blocked-partners'] }),
  ]) {
    const res = await h.app.inject({
      method: 'POST',
      url: `${ADM}/throttling/policies/subscription`,
      headers: adminAuth,
      payload: body,
    });
    assert.equal(res.statusCode, 201, res.body);
    assert.deepEqual(res.json().permissions, body.permissions, 'permissions are stored, not dropped');
  }
  const apiId = await publishedApi(h, { policies: ['PartnerGold', 'NotForBlocked', 'Unlimited'] });
  return apiId;
}

const offeredBy = async (h: Harness, apiId: string, headers: Record<string, string> = {}) => {
  const api = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${apiId}`, headers });
  assert.equal(api.statusCode, 200, api.body);
  const policies = await h.app.inject({
    method: 'GET',
    url: `${DEV}/apis/${apiId}/subscription-policies`,
    headers,
  });
  assert.equal(policies.statusCode, 200, policies.body);
  const tiers = (api.json() as { tiers: { tierName: string }[] }).tiers.map((t) => t.tierName);
  assert.deepEqual(
    (policies.json() as { name: string }[]).map((p) => p.name),
    tiers,
    'the API and its subscription-policies offer the same tiers',
  );
  return tiers;
};

const subscribeAs = (
  h: Harness,
  headers: Record<string, string>,
  applicationId: string,
  apiId: string,
  throttlingPolicy: string,
) =>
  h.app.inject({
    method: 'POST',
    url: `${DEV}/subscriptions`,
    headers,
    payload: { applicationId, apiId, throttlingPolicy },
  });

for (const d of await testDialects()) {
  test(`tier permissions on ${d.name}: ALLOW gold-partners is offered to and subscribable by holders only`, async () => {
    const h = await createHarness(
      await d.open(),
      [
        throttlingPolicyRoutes,
        publisherRoutes(),
        devportalApiRoutes,
        throttlingPoliciesRoutes,
        devportalSubscriptionRoutes,
      ],
      { toml: TOML },
    );
    try {
      const apiId = await setUp(h);
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const gina = await userAuth(h, 'gina', ['subscriber', 'gold-partners']);
      const samApp = await insertApplication(h, 'sam', 'SamApp');
      const ginaApp = await insertApplication(h, 'gina', 'GinaApp');

      // Not offered to sam, anonymous visitors or (no bypass) the admin; offered to gina.
      assert.deepEqual(await offeredBy(h, apiId, sam), ['NotForBlocked', 'Unlimited']);
      assert.deepEqual(await offeredBy(h, apiId), ['NotForBlocked', 'Unlimited']);
      assert.deepEqual(await offeredBy(h, apiId, gina), ['PartnerGold', 'NotForBlocked', 'Unlimited']);
      const list = await h.app.inject({ method: 'GET', url: `${DEV}/apis`, headers: sam });
      assert.deepEqual(list.json().list[0].throttlingPolicies, ['NotForBlocked', 'Unlimited']);
      const samTiers = await h.app.inject({
        method: 'GET',
        url: `${DEV}/throttling-policies/subscription?limit=100`,
        headers: sam,
      });
      const names = (samTiers.json().list as { name: string }[]).map((p) => p.name);
      assert.ok(!names.includes('PartnerGold') && names.includes('NotForBlocked'), names.join());
      const samOne = await h.app.inject({
        method: 'GET',
        url: `${DEV}/throttling-policies/subscription/PartnerGold`,
        headers: sam,
      });
      assert.equal(samOne.statusCode, 404);
      const ginaOne = await h.app.inject({
        method: 'GET',
        url: `${DEV}/throttling-policies/subscription/PartnerGold`,
        headers: gina,
      });
      assert.equal(ginaOne.statusCode, 200);
      assert.deepEqual(ginaOne.json().throttlingPolicyPermissions, {
        type: 'allow',
        roles: ['gold-partners'],
      });

      // sam cannot subscribe with it (403, nothing written), alone or in a batch.
      const before = await counts(h);
      const refused = await subscribeAs(h, sam, samApp.uuid, apiId, 'PartnerGold');
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().errorCode, 'TIER_NOT_PERMITTED');
      assert.equal(refused.json().code, 902002);
      const batch = await h.app.inject({
        method: 'POST',
        url: `${DEV}/subscriptions/multiple`,
        headers: sam,
        payload: [{ applicationId: samApp.uuid, apiId, throttlingPolicy: 'PartnerGold' }],
      });
      assert.equal(batch.statusCode, 403);
      assert.deepEqual(await counts(h), before, 'nothing written');

      // gina can; sam's subscription on an open tier cannot be moved to the restricted one.
      const ok = await subscribeAs(h, gina, ginaApp.uuid, apiId, 'PartnerGold');
      assert.equal(ok.statusCode, 201, ok.body);
      const samSub = await subscribeAs(h, sam, samApp.uuid, apiId, 'Unlimited');
      assert.equal(samSub.statusCode, 201, samSub.body);
      const upgrade = await h.app.inject({
        method: 'PUT',
        url: `${DEV}/subscriptions/${samSub.json().subscriptionId}`,
        headers: sam,
        payload: { applicationId: samApp.uuid, apiId, throttlingPolicy: 'PartnerGold' },
      });
      assert.equal(upgrade.statusCode, 403, upgrade.body);
      assert.equal(upgrade.json().errorCode, 'TIER_NOT_PERMITTED');
    } finally {
      await h.close();
    }
  });

  test(`tier permissions on ${d.name}: DENY refuses holders of a denied role, admin PUT keeps permissions`, async () => {
    const h = await createHarness(
      await d.open(),
      [throttlingPolicyRoutes, publisherRoutes(), devportalApiRoutes, devportalSubscriptionRoutes],
      { toml: TOML },
    );
    try {
      const apiId = await setUp(h);
      const bob = await userAuth(h, 'bob', ['subscriber', 'blocked-partners']);
      const bobApp = await insertApplication(h, 'bob', 'BobApp');
      assert.deepEqual(await offeredBy(h, apiId, bob), ['Unlimited']);
      const refused = await subscribeAs(h, bob, bobApp.uuid, apiId, 'NotForBlocked');
      assert.equal(refused.statusCode, 403, refused.body);
      assert.equal(refused.json().errorCode, 'TIER_NOT_PERMITTED');

      // GET → PUT without permissions keeps them; PUT null opens the tier.
      const all = await h.app.inject({
        method: 'GET',
        url: `${ADM}/throttling/policies/subscription`,
        headers: adminAuth,
      });
      const dto = all.json().list.find((p: { policyName: string }) => p.policyName === 'NotForBlocked');
      const { permissions, ...rest } = dto;
      const kept = await h.app.inject({
        method: 'PUT',
        url: `${ADM}/throttling/policies/subscription/${dto.policyId}`,
        headers: adminAuth,
        payload: { ...rest, description: 'changed' },
      });
      assert.equal(kept.statusCode, 200, kept.body);
      assert.deepEqual(kept.json(), { ...dto, description: 'changed', permissions });
      const opened = await h.app.inject({
        method: 'PUT',
        url: `${ADM}/throttling/policies/subscription/${dto.policyId}`,
        headers: adminAuth,
        payload: { ...dto, permissions: null },
      });
      assert.equal(opened.statusCode, 200, opened.body);
      assert.deepEqual(await offeredBy(h, apiId, bob), ['NotForBlocked', 'Unlimited']);
    } finally {
      await h.close();
    }
  });

  test(`tier permissions on ${d.name}: malformed permissions are refused with 400, nothing written`, async () => {
    const h = await createHarness(await d.open(), [throttlingPolicyRoutes], { toml: TOML });
    try {
      const before = await counts(h);
      for (const permissions of [
        { permissionType: 'MAYBE', roles: ['gold-partners'] },
        { permissionType: 'ALLOW', roles: [] },
        { permissionType: 'ALLOW', roles: ['bad role!'] },
        { permissionType: 'ALLOW' },
      ]) {
        const res = await h.app.inject({
          method: 'POST',
          url: `${ADM}/throttling/policies/subscription`,
          headers: adminAuth,
          payload: tier('Broken', permissions),
        });
        assert.equal(res.statusCode, 400, JSON.stringify(permissions));
        assert.equal(res.json().errorCode, 'VALIDATION_FAILED');
        assert.match(res.json().description, /permissions/);
      }
      assert.deepEqual(await counts(h), before);
    } finally {
      await h.close();
    }
  });
}
