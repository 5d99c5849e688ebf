import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import type { fakeClock } from '../../src/core/index.js';
import { OPAQUE_KEY_PATTERN } from '../../src/crypto/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import {
  DEV,
  insertApi,
  insertApplication,
  insertSubscription,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';

const OPAQUE_TOML = '[apim.devportal]\napi_key_format = "opaque"\n';
const MENU = '/pizzashack/1.0.0/menu';

/** {@link apiKeyGatewayStack} plus `settle`: deltas reach the gateway asynchronously. */
async function stack(h: Harness) {
  const s = await apiKeyGatewayStack(h);
  return {
    ...s,
    /** The status for `key` once it equals `want`, or the last one seen after about a second. */
    async settle(key: string, want: number): Promise<number> {
      let status = 0;
      for (let i = 0; i < 100; i++) {
        status = (await s.call(MENU, { apikey: key })).status;
        if (status === want) break;
        await sleep(10);
      }
      return status;
    },
  };
}

/** A subscriber `alice` with application Pizza subscribed to PizzaShack (on the stack's upstream). */
async function subscribedApp(h: Harness, upstreamUrl: string) {
  const alice = await subscriber(h, 'alice');
  const apiId = await insertApi(h.store, { endpoint: `${upstreamUrl}/backend` });
  const app = await insertApplication(h.store, 'alice', 'Pizza');
  await insertSubscription(h.store, app.id, apiId, 'Gold');
  await h.ctx.snapshots.rebuild();
  return { alice, app };
}

async function post(h: Harness, auth: { authorization: string }, url: string, payload?: unknown) {
  return h.app.inject({
    method: 'POST',
    url: `${DEV}${url}`,
    headers: auth,
    ...(payload ? { payload } : {}),
  });
}

for (const d of await testDialects()) {
  test(`opaque API keys on ${d.name}: generate, gateway by header and query, list with lastUsed, stored as HMAC only, revoke`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes], {
      toml: OPAQUE_TOML,
      fakeTime: true,
    });
    const s = await stack(h);
    try {
      const { alice, app } = await subscribedApp(h, s.upstreamUrl);

      const gen = await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/generate`, {
        keyName: 'ci',
        validityPeriod: 3600,
      });
      assert.equal(gen.statusCode, 200, gen.body);
      const body = gen.json<{ apikey: string; keyUUID: string; keyName: string; validityPeriod: number }>();
      assert.match(body.apikey, OPAQUE_KEY_PATTERN);
      assert.ok(body.apikey.startsWith('portico_'));
      assert.equal(body.keyName, 'ci');
      assert.equal(body.validityPeriod, 3600);

      assert.equal(await s.settle(body.apikey, 200), 200, 'header');
      assert.equal((await s.call(`${MENU}?apikey=${body.apikey}`)).status, 200, 'query');

      // The stored row holds only the HMAC: no column contains the key or its random part.
      const row = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', body.keyUUID)
        .executeTakeFirstOrThrow();
      const random = body.apikey.split('_')[1]!;
      for (const [col, v] of Object.entries(row)) {
        assert.ok(!String(v).includes(random), `column ${col} holds no part of the key`);
      }
      assert.equal(row.format, 'opaque');
      assert.match(String(row.key_hash), /^[A-Za-z0-9_-]{43}$/);

      // List (4.7 APIKeyInfo) with lastUsed after the usage flush.
      await s.usage.flush();
      const list = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION`,
        headers: alice,
      });
      assert.equal(list.statusCode, 200);
      const info = list.json<{ count: number; list: Record<string, unknown>[] }>();
      assert.equal(info.count, 1);
      assert.deepEqual(info.list[0], {
        keyUUID: body.keyUUID,
        keyName: 'ci',
        issuedOn: row.issued_at,
        validityPeriod: 3600,
        validityTime: 3600,
        lastUsed: h.clock.now(),
        keyType: 'PRODUCTION',
        format: 'opaque',
        state: 'ACTIVE',
        graceExpiresAt: null,
        leaked: false,
        leakReports: [],
      });
      assert.ok(!list.body.includes(random));
      const sandbox = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys/SANDBOX`,
        headers: alice,
      });
      assert.equal(sandbox.json<{ count: number }>().count, 0);

      // A wrong checksum is refused (401) and so is a revoke with it (400, nothing revoked).
      const last = body.apikey.at(-1) === 'A' ? 'B' : 'A';
      const mutated = body.apikey.slice(0, -1) + last;
      assert.equal((await s.call(MENU, { apikey: mutated })).status, 401);
      const badRevoke = await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/revoke`, {
        apikey: mutated,
      });
      assert.equal(badRevoke.statusCode, 400);
      assert.equal(badRevoke.json().errorCode, 'INVALID_API_KEY');

      // Revoke by value: 401 at the gateway.
      const rev = await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/revoke`, {
        apikey: body.apikey,
      });
      assert.equal(rev.statusCode, 200, rev.body);
      assert.equal(await s.settle(body.apikey, 401), 401);

      // Revoke by keyUUID; another user's application is 404 and revokes nothing.
      const second = (await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/generate`)).json<{
        apikey: string;
        keyUUID: string;
      }>();
      assert.equal(await s.settle(second.apikey, 200), 200);
      const bob = await subscriber(h, 'bob');
      const bobs = await post(h, bob, `/applications/${app.uuid}/api-keys/PRODUCTION/revoke`, {
        keyUUID: second.keyUUID,
      });
      assert.equal(bobs.statusCode, 404);
      assert.equal((await s.call(MENU, { apikey: second.apikey })).status, 200);
      const byId = await post(h, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/revoke`, {
        keyUUID: second.keyUUID,
      });
      assert.equal(byId.statusCode, 200);
      assert.equal(await s.settle(second.apikey, 401), 401);

      // A JWT key still verifies next to opaque ones (4.4-style operations keep working).
      const jwtHarness = await createHarness(h.store, [devportalApiKeyRoutes]);
      try {
        // Same store, a control plane issuing JWT keys; the gateway follows the first harness' snapshots.
        const jwt = (
          await post(jwtHarness, alice, `/applications/${app.uuid}/api-keys/PRODUCTION/generate`)
        ).json<{
          apikey: string;
        }>().apikey;
        assert.equal(jwt.split('.').length, 3);
        assert.equal((await s.call(MENU, { apikey: jwt })).status, 200);
      } finally {
        await jwtHarness.cp.app.close();
      }
    } finally {
      await s.close();
      await h.close();
    }
  });

  test(`opaque API keys on ${d.name}: regenerate with a 60 s grace keeps both working, then old 401; without grace old 401 at once`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes], {
      toml: OPAQUE_TOML,
      fakeTime: true,
    });
    const clock = h.clock as ReturnType<typeof fakeClock>;
    const s = await stack(h);
    try {
      const { alice, app } = await subscribedApp(h, s.upstreamUrl);
      const base = `/applications/${app.uuid}/api-keys/PRODUCTION`;
      const old = (await post(h, alice, `${base}/generate`, { keyName: 'rotating' })).json<{
        apikey: string;
        keyUUID: string;
      }>();
      assert.equal(await s.settle(old.apikey, 200), 200);

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
      assert.notEqual(fresh.keyUUID, old.keyUUID);
      assert.equal(fresh.keyName, 'rotating');
      assert.equal(await s.settle(fresh.apikey, 200), 200, 'new key works');
      assert.equal((await s.call(MENU, { apikey: old.apikey })).status, 200, 'old key works in its grace');

      const list = (await h.app.inject({ method: 'GET', url: `${DEV}${base}`, headers: alice })).json<{
        list: { keyUUID: string; state: string; graceExpiresAt: number | null }[];
      }>().list;
      const oldInfo = list.find((k) => k.keyUUID === old.keyUUID)!;
      assert.equal(oldInfo.state, 'ROTATING');
      assert.equal(oldInfo.graceExpiresAt, clock.now() + 60_000);
      assert.equal(list.find((k) => k.keyUUID === fresh.keyUUID)!.state, 'ACTIVE');
      // A rotating key cannot be regenerated again.
      const again = await post(h, alice, `${base}/regenerate`, { keyUUID: old.keyUUID });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().errorCode, 'API_KEY_NOT_ACTIVE');

      clock.advance(59_000);
      assert.equal((await s.call(MENU, { apikey: old.apikey })).status, 200, 'still in the grace at 59 s');
      clock.advance(1_000);
      assert.equal((await s.call(MENU, { apikey: old.apikey })).status, 401, 'old key 401 after the grace');
      assert.equal((await s.call(MENU, { apikey: fresh.apikey })).status, 200);
      // A full snapshot after the grace keeps refusing the old key.
      await h.ctx.snapshots.rebuild();
      assert.equal((await s.call(MENU, { apikey: old.apikey })).status, 401);

      // Without a grace: the old key is refused at once.
      const noGrace = await post(h, alice, `${base}/regenerate`, { keyUUID: fresh.keyUUID });
      assert.equal(noGrace.statusCode, 200, noGrace.body);
      const third = noGrace.json<{ apikey: string }>();
      assert.equal(await s.settle(fresh.apikey, 401), 401, 'old key 401 without grace');
      assert.equal(await s.settle(third.apikey, 200), 200);
    } finally {
      await s.close();
      await h.close();
    }
  });
}
