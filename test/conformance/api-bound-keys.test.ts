import { auditEventsRepository } from '../../src/store/index.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { fakeClock } from '../../src/core/index.js';
import { OPAQUE_KEY_PATTERN } from '../../src/crypto/index.js';
import {
  devportalApiBoundKeyRoutes,
  devportalApiKeyAssociationRoutes,
} from '../../src/control-plane/devportal/api-bound-keys/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import {
  DEV,
  insertApi,
  insertApplication,
  insertSubscription,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';
import { devportalSchemaCheck } from './devportal-openapi-schema.js';

const NOT_SUBSCRIBED =
  '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}';
const FREE = '/free/1.0.0/menu';
const OTHER = '/other/1.0.0/menu';
const PAID = '/paid/1.0.0/menu';
const schema = devportalSchemaCheck();

type Auth = { authorization: string };

/** A control plane with the API-key routes, a gateway on its snapshots, and three APIs on the stack's upstream. */
async function setup(h: Harness) {
  const s = await apiKeyGatewayStack(h);
  const endpoint = `${s.upstreamUrl}/backend`;
  const sub = ['DefaultSubscriptionless'];
  const free = await insertApi(h.store, { name: 'Free', context: '/free', endpoint, policies: sub });
  const other = await insertApi(h.store, { name: 'Other', context: '/other', endpoint, policies: sub });
  const paid = await insertApi(h.store, { name: 'Paid', context: '/paid', endpoint });
  await h.ctx.snapshots.rebuild();
  const alice = await subscriber(h, 'alice');
  return {
    s,
    alice,
    apis: { free, other, paid },
    /** The status for `path` with `key` once it equals `want`, or the last one seen after about a second. */
    async settle(path: string, key: string, want: number): Promise<number> {
      let status = 0;
      for (let i = 0; i < 100; i++) {
        status = (await s.call(path, { apikey: key })).status;
        if (status === want) break;
        await sleep(10);
      }
      return status;
    },
  };
}

function post(h: Harness, auth: Auth, url: string, payload?: unknown) {
  return h.app.inject({
    method: 'POST',
    url: `${DEV}${url}`,
    headers: auth,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}

function get(h: Harness, auth: Auth, url: string) {
  return h.app.inject({ method: 'GET', url: `${DEV}${url}`, headers: auth });
}

async function generateBound(h: Harness, auth: Auth, apiId: string, payload: unknown = {}) {
  const res = await post(h, auth, `/apis/${apiId}/api-keys/generate`, payload);
  assert.equal(res.statusCode, 200, res.body);
  const body = res.json<{ apikey: string; keyUUID: string; keyName: string; validityPeriod: number }>();
  schema('APIKey', body);
  return body;
}

const routes = [devportalApiKeyRoutes, devportalApiBoundKeyRoutes, devportalApiKeyAssociationRoutes];

for (const d of await testDialects()) {
  test(`API-bound keys on ${d.name}: generate (opaque), 200 for its API only, list, revoke by value and keyUUID → 401 within 1 s`, async () => {
    const h = await createHarness(await d.open(), routes, { fakeTime: true });
    const t = await setup(h);
    try {
      const { alice, apis } = t;
      const key = await generateBound(h, alice, apis.free, { keyName: 'ci', validityPeriod: 3600 });
      assert.match(key.apikey, OPAQUE_KEY_PATTERN, 'opaque even though api_key_format is jwt');
      assert.equal(key.keyName, 'ci');
      assert.equal(key.validityPeriod, 3600);

      // Subscriptionless API, no application: 200. Another API (also subscriptionless): 403 900908.
      assert.equal(await t.settle(FREE, key.apikey, 200), 200);
      const other = await t.s.call(OTHER, { apikey: key.apikey });
      assert.equal(other.status, 403);
      assert.equal(other.body, NOT_SUBSCRIBED);
      // An API that needs a subscription refuses a key with no application.
      const paidKey = await generateBound(h, alice, apis.paid);
      assert.equal(await t.settle(PAID, paidKey.apikey, 403), 403);
      assert.equal((await t.s.call(PAID, { apikey: paidKey.apikey })).body, NOT_SUBSCRIBED);

      // The stored row: bound to the API, no application, only the HMAC.
      const row = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', key.keyUUID)
        .executeTakeFirstOrThrow();
      assert.equal(row.api_id, apis.free);
      assert.equal(row.application_id, null);
      assert.equal(row.format, 'opaque');
      const random = key.apikey.split('_')[1]!;
      for (const [col, v] of Object.entries(row)) assert.ok(!String(v).includes(random), col);

      // List: APIAPIKeyList with the 4.7 fields; another user sees none of alice's keys.
      await t.s.usage.flush();
      const list = await get(h, alice, `/apis/${apis.free}/api-keys`);
      assert.equal(list.statusCode, 200, list.body);
      schema('APIAPIKeyList', list.json());
      assert.deepEqual(list.json(), {
        count: 1,
        list: [
          {
            keyUUID: key.keyUUID,
            keyName: 'ci',
            associatedApp: null,
            associatedAppId: null,
            issuedOn: row.issued_at,
            validityPeriod: 3600,
            validityTime: 3600,
            lastUsed: h.clock.now(),
            keyType: 'PRODUCTION',
            state: 'ACTIVE',
            graceExpiresAt: null,
          },
        ],
      });
      assert.ok(!list.body.includes(random));
      const bob = await subscriber(h, 'bob');
      assert.equal((await get(h, bob, `/apis/${apis.free}/api-keys`)).json<{ count: number }>().count, 0);
      const bobs = await post(h, bob, `/apis/${apis.free}/api-keys/revoke`, { keyUUID: key.keyUUID });
      assert.equal(bobs.statusCode, 404);
      assert.equal(bobs.json().errorCode, 'API_KEY_NOT_FOUND');
      // Named under another API: not found either.
      const wrongApi = await post(h, alice, `/apis/${apis.other}/api-keys/revoke`, { keyUUID: key.keyUUID });
      assert.equal(wrongApi.statusCode, 404);

      // Bad input: clear 4xx, nothing revoked.
      const cases: [unknown, number, string][] = [
        [{}, 400, 'VALIDATION_FAILED'],
        [{ keyUUID: 42 }, 400, 'VALIDATION_FAILED'],
        [
          { apikey: `${key.apikey.slice(0, -1)}${key.apikey.endsWith('A') ? 'B' : 'A'}` },
          400,
          'INVALID_API_KEY',
        ],
      ];
      for (const [payload, status, code] of cases) {
        const r = await post(h, alice, `/apis/${apis.free}/api-keys/revoke`, payload);
        assert.equal(r.statusCode, status, JSON.stringify(payload));
        assert.equal(r.json().errorCode, code);
      }
      for (const payload of [{ keyType: 'GOLD' }, { validityPeriod: 'x' }, { keyName: 7 }]) {
        const r = await post(h, alice, `/apis/${apis.free}/api-keys/generate`, payload);
        assert.equal(r.statusCode, 400, JSON.stringify(payload));
      }
      const oauthOnly = await insertApi(h.store, {
        name: 'OAuthOnly',
        context: '/oauthonly',
        securityScheme: ['oauth2'],
      });
      const noKeys = await post(h, alice, `/apis/${oauthOnly}/api-keys/generate`, {});
      assert.equal(noKeys.statusCode, 400);
      assert.equal(noKeys.json().errorCode, 'API_KEYS_NOT_ENABLED');
      assert.equal(noKeys.json().code, 909009);
      const unknownApi = await post(h, alice, `/apis/00000000-0000-0000-0000-000000000000/api-keys/generate`);
      assert.equal(unknownApi.statusCode, 404);
      assert.equal(unknownApi.json().errorCode, 'API_NOT_FOUND');
      const anonymous = await h.app.inject({ method: 'GET', url: `${DEV}/apis/${apis.free}/api-keys` });
      assert.equal(anonymous.statusCode, 401);
      assert.equal((await t.s.call(FREE, { apikey: key.apikey })).status, 200, 'still works');

      // Revoke by value, then by keyUUID: 401 at the gateway within a second.
      const byValue = await post(h, alice, `/apis/${apis.free}/api-keys/revoke`, { apikey: key.apikey });
      assert.equal(byValue.statusCode, 200, byValue.body);
      assert.equal(byValue.body, '');
      assert.equal(await t.settle(FREE, key.apikey, 401), 401);
      const again = await post(h, alice, `/apis/${apis.free}/api-keys/revoke`, { keyUUID: key.keyUUID });
      assert.equal(again.statusCode, 200, 'idempotent');
      const second = await generateBound(h, alice, apis.free);
      assert.equal(await t.settle(FREE, second.apikey, 200), 200);
      const started = Date.now();
      const byId = await post(h, alice, `/apis/${apis.free}/api-keys/revoke`, { keyUUID: second.keyUUID });
      assert.equal(byId.statusCode, 200);
      assert.equal(await t.settle(FREE, second.apikey, 401), 401);
      assert.ok(Date.now() - started < 1000, 'refused within a second');
      const states = (await get(h, alice, `/apis/${apis.free}/api-keys`)).json<{
        list: { keyUUID: string; state: string }[];
      }>().list;
      assert.deepEqual(
        states.map((k) => k.state),
        ['REVOKED', 'REVOKED'],
      );
    } finally {
      await t.s.close();
      await h.close();
    }
  });

  test(`API-bound keys on ${d.name}: regenerate with a 60 s grace keeps both working, then old 401`, async () => {
    const h = await createHarness(await d.open(), routes, { fakeTime: true });
    const clock = h.clock as ReturnType<typeof fakeClock>;
    const t = await setup(h);
    try {
      const { alice, apis } = t;
      const base = `/apis/${apis.free}/api-keys`;
      const old = await generateBound(h, alice, apis.free, { keyName: 'rotating', keyType: 'SANDBOX' });
      assert.equal(await t.settle(FREE, old.apikey, 200), 200);
      for (const bad of [
        {},
        { keyUUID: old.keyUUID, gracePeriod: -1 },
        { keyUUID: old.keyUUID, gracePeriod: 'x' },
      ]) {
        const r = await post(h, alice, `${base}/regenerate`, bad);
        assert.equal(r.statusCode, 400, JSON.stringify(bad));
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
      }
      assert.equal((await post(h, alice, `${base}/regenerate`, { keyUUID: 'nope' })).statusCode, 404);

      const regen = await post(h, alice, `${base}/regenerate`, { keyUUID: old.keyUUID, gracePeriod: 60 });
      assert.equal(regen.statusCode, 200, regen.body);
      const fresh = regen.json<{ apikey: string; keyUUID: string; keyName: string }>();
      schema('APIKey', fresh);
      assert.notEqual(fresh.keyUUID, old.keyUUID);
      assert.equal(fresh.keyName, 'rotating');
      assert.equal(await t.settle(FREE, fresh.apikey, 200), 200, 'new key works');
      assert.equal((await t.s.call(FREE, { apikey: old.apikey })).status, 200, 'old key in its grace');
      assert.equal((await t.s.call(OTHER, { apikey: fresh.apikey })).status, 403, 'still bound to its API');

      const list = (await get(h, alice, base)).json<{
        list: { keyUUID: string; state: string; graceExpiresAt: number | null; keyType: string }[];
      }>().list;
      const oldInfo = list.find((k) => k.keyUUID === old.keyUUID)!;
      assert.equal(oldInfo.state, 'ROTATING');
      assert.equal(oldInfo.graceExpiresAt, clock.now() + 60_000);
      assert.equal(list.find((k) => k.keyUUID === fresh.keyUUID)!.keyType, 'SANDBOX');
      const twice = await post(h, alice, `${base}/regenerate`, { keyUUID: old.keyUUID });
      assert.equal(twice.statusCode, 409);
      assert.equal(twice.json().errorCode, 'API_KEY_NOT_ACTIVE');

      clock.advance(59_000);
      assert.equal((await t.s.call(FREE, { apikey: old.apikey })).status, 200, 'still in the grace at 59 s');
      clock.advance(1_000);
      assert.equal((await t.s.call(FREE, { apikey: old.apikey })).status, 401, 'old key 401 after the grace');
      assert.equal((await t.s.call(FREE, { apikey: fresh.apikey })).status, 200);
    } finally {
      await t.s.close();
      await h.close();
    }
  });

  test(`API-bound keys on ${d.name}: associate with an application → its subscription applies (unsubscribed 403 900908); dissociate`, async () => {
    const h = await createHarness(await d.open(), routes, { fakeTime: true });
    const t = await setup(h);
    try {
      const { alice, apis } = t;
      const app = await insertApplication(h.store, 'alice', 'Pizza');
      const other = await insertApplication(h.store, 'alice', 'Pasta');
      const bob = await subscriber(h, 'bob');
      const bobsApp = await insertApplication(h.store, 'bob', 'Bobs');
      const key = await generateBound(h, alice, apis.paid, { keyName: 'paid' });
      assert.equal(await t.settle(PAID, key.apikey, 403), 403, 'no application, subscription needed');

      // Associate with an application that is not subscribed: still 403 900908.
      const assoc = await post(h, alice, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: app.uuid,
      });
      assert.equal(assoc.statusCode, 200, assoc.body);
      schema('APIKeyAssociation', assoc.json());
      assert.deepEqual(assoc.json(), { keyName: 'paid', apiName: 'Paid', applicationName: 'Pizza' });
      await sleep(50);
      const unsubscribed = await t.s.call(PAID, { apikey: key.apikey });
      assert.equal(unsubscribed.status, 403);
      assert.equal(unsubscribed.body, NOT_SUBSCRIBED);

      // Subscribe the application: the key now calls the API as it.
      await insertSubscription(h.store, app.id, apis.paid, 'Gold');
      await h.ctx.snapshots.rebuild();
      assert.equal(await t.settle(PAID, key.apikey, 200), 200);
      const info = (await get(h, alice, `/apis/${apis.paid}/api-keys`)).json<{
        list: { associatedApp: string; associatedAppId: string }[];
      }>().list[0]!;
      assert.equal(info.associatedApp, 'Pizza');
      assert.equal(info.associatedAppId, app.uuid);
      // The application's own key list does not show it; its associations do.
      const appKeys = await get(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION`);
      assert.equal(appKeys.json<{ count: number }>().count, 0);
      const associations = await get(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/associations`);
      assert.equal(associations.statusCode, 200);
      schema('APIKeyAssociationList', associations.json());
      assert.equal(associations.json<{ count: number }>().count, 1);
      // Regenerate via the application's routes: not one of its keys.
      const viaApp = await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/regenerate`, {
        keyUUID: key.keyUUID,
      });
      assert.equal(viaApp.statusCode, 404);

      // Refusals: another application while associated, another user's application, a revoked key.
      const clash = await post(h, alice, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: other.uuid,
      });
      assert.equal(clash.statusCode, 409);
      assert.equal(clash.json().errorCode, 'API_KEY_ALREADY_ASSOCIATED');
      const same = await post(h, alice, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: app.uuid,
      });
      assert.equal(same.statusCode, 200, 'associating again with the same application is a no-op');
      const bobsTarget = await post(h, alice, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: bobsApp.uuid,
      });
      assert.equal(bobsTarget.statusCode, 404);
      assert.equal(bobsTarget.json().errorCode, 'APPLICATION_NOT_FOUND');
      const bobAssoc = await post(h, bob, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: bobsApp.uuid,
      });
      assert.equal(bobAssoc.statusCode, 404);
      assert.equal(bobAssoc.json().errorCode, 'API_KEY_NOT_FOUND');

      // Dissociate: no application again → 403.
      const dis = await post(h, alice, `/apis/${apis.paid}/api-keys/dissociate`, { keyUUID: key.keyUUID });
      assert.equal(dis.statusCode, 200, dis.body);
      assert.equal(await t.settle(PAID, key.apikey, 403), 403);
      assert.equal((await t.s.call(PAID, { apikey: key.apikey })).body, NOT_SUBSCRIBED);
      const disAgain = await post(h, alice, `/apis/${apis.paid}/api-keys/dissociate`, {
        keyUUID: key.keyUUID,
      });
      assert.equal(disAgain.statusCode, 200, 'idempotent');

      // From the application's side: the key type must match, then associate and dissociate.
      const appBase = `/applications/${app.uuid}/api-keys`;
      const mismatch = await post(h, alice, `${appBase}/SANDBOX/associate`, {
        keyUUID: key.keyUUID,
        apiUUID: apis.paid,
      });
      assert.equal(mismatch.statusCode, 400);
      assert.equal(mismatch.json().errorCode, 'API_KEY_TYPE_MISMATCH');
      const fromApp = await post(h, alice, `${appBase}/PRODUCTION/associate`, {
        keyUUID: key.keyUUID,
        apiUUID: apis.paid,
      });
      assert.equal(fromApp.statusCode, 200, fromApp.body);
      schema('APIKeyAssociation', fromApp.json());
      assert.equal(await t.settle(PAID, key.apikey, 200), 200);
      const wrongApp = await post(h, alice, `/applications/${other.uuid}/api-keys/PRODUCTION/dissociate`, {
        keyUUID: key.keyUUID,
      });
      assert.equal(wrongApp.statusCode, 404, 'not associated with that application');
      const fromAppDis = await post(h, alice, `${appBase}/PRODUCTION/dissociate`, { keyUUID: key.keyUUID });
      assert.equal(fromAppDis.statusCode, 200);
      assert.equal(await t.settle(PAID, key.apikey, 403), 403);
      // The subscribed APIs with the caller's unassociated keys of that type (what the portal offers to associate).
      const offered = await get(h, alice, `${appBase}/PRODUCTION/subscriptions`);
      assert.equal(offered.statusCode, 200, offered.body);
      schema('SubscribedAPIWithApiKeyList', offered.json());
      assert.deepEqual(offered.json(), {
        count: 1,
        list: [{ keyName: 'paid', keyUUID: key.keyUUID, apiName: 'Paid', apiUUID: apis.paid }],
      });
      const sandboxOffered = await get(h, alice, `${appBase}/SANDBOX/subscriptions`);
      assert.equal(sandboxOffered.json<{ count: number }>().count, 0);
      assert.equal((await get(h, bob, `${appBase}/PRODUCTION/subscriptions`)).statusCode, 404);

      // Subscriptionless API: an application key of an unsubscribed application is accepted (WSO2).
      const appKey = await post(h, alice, `${appBase}/PRODUCTION/generate`);
      assert.equal(appKey.statusCode, 200, appKey.body);
      const jwt = appKey.json<{ apikey: string }>().apikey;
      assert.equal((await t.s.call(FREE, { apikey: jwt })).status, 200);
      assert.equal((await t.s.call('/other/1.0.0/menu', { apikey: jwt })).status, 200);

      // A revoked key cannot be associated.
      await post(h, alice, `/apis/${apis.paid}/api-keys/revoke`, { keyUUID: key.keyUUID });
      const revoked = await post(h, alice, `/apis/${apis.paid}/api-keys/associate`, {
        keyUUID: key.keyUUID,
        applicationUUID: app.uuid,
      });
      assert.equal(revoked.statusCode, 409);
      assert.equal(revoked.json().errorCode, 'API_KEY_NOT_ACTIVE');

      // Audited in the same transactions, by the caller: issued, associated (twice), dissociated (twice), revoked.
      const events = await auditEventsRepository(h.store).list(
        { targetId: key.keyUUID },
        { limit: 50, offset: 0 },
      );
      assert.deepEqual(events.map((e) => [e.action, e.actor]).sort(), [
        ['apikey.associated', 'alice'],
        ['apikey.associated', 'alice'],
        ['apikey.dissociated', 'alice'],
        ['apikey.dissociated', 'alice'],
        ['apikey.issued', 'alice'],
        ['apikey.revoked', 'alice'],
      ]);
      assert.ok(!JSON.stringify(events).includes(key.apikey), 'never the key');
    } finally {
      await t.s.close();
      await h.close();
    }
  });
}
