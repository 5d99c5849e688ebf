import { networkInterfaces } from 'node:os';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseConfig } from '../../src/config/index.js';
import { createControlPlane, type ControlPlaneContext } from '../../src/control-plane/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import {
  decodeKey,
  generateKey,
  insertApi,
  insertApplication,
  insertSubscription,
  revoke,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import { apiKeyGatewayStack } from '../support/api-key-gateway-stack.js';
import { createHarness, type Harness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { selfSignedKey } from '../support/self-signed.js';
import { rawDb } from '../support/raw-db.js';

const hasIpv6Loopback = Object.values(networkInterfaces()).some((list) =>
  (list ?? []).some((i) => i.family === 'IPv6' && i.internal && i.address === '::1'),
);

const NOT_SUBSCRIBED =
  '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}';
const RESTRICTED =
  '{"code":"900908","message":"Resource forbidden ","description":"Access forbidden for the invocations"}';

/** A second control plane on the same store and bus with some context fields replaced. */
async function controlPlaneWith(h: Harness, over: Partial<ControlPlaneContext>): Promise<Harness> {
  const ctx = { ...h.ctx, ...over };
  const cp = await createControlPlane(ctx, [devportalApiKeyRoutes]);
  await cp.app.ready();
  return { ...h, ctx, cp, app: cp.app, close: () => cp.app.close() };
}

for (const d of await testDialects()) {
  test(`API keys end to end on ${d.name}: control plane issues, gateway accepts, revocation reaches the gateway`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    const s = await apiKeyGatewayStack(h);
    const extra: Harness[] = [];
    try {
      const alice = await subscriber(h, 'alice');
      const apiId = await insertApi(h.store, { endpoint: `${s.upstreamUrl}/backend` });
      const app = await insertApplication(h.store, 'alice', 'Pizza');
      const unsubscribed = await insertApplication(h.store, 'alice', 'NotSubscribed');
      await h.ctx.snapshots.rebuild();

      // A lightweight key issued before subscribing works once the subscription exists (api-manager#4343).
      const early = await generateKey(h, alice, app.uuid);
      const before = await s.call('/pizzashack/1.0.0/menu', { apikey: early });
      assert.equal(before.status, 403);
      assert.equal(before.body, NOT_SUBSCRIBED);
      await insertSubscription(h.store, app.id, apiId, 'Gold');
      await h.ctx.snapshots.rebuild();
      const after = await s.call('/pizzashack/1.0.0/menu', { apikey: early });
      assert.equal(after.status, 200, after.body);
      assert.equal(after.body, '[{"name":"BBQ Chicken Bacon"}]');

      // Header (any case): forwarded without the key.
      const key = await generateKey(h, alice, app.uuid, { validityPeriod: 3600 });
      const viaHeader = await s.call('/pizzashack/1.0.0/menu?size=large', { ApiKey: key });
      assert.equal(viaHeader.status, 200, viaHeader.body);
      const fwd = s.seen.at(-1)!;
      assert.equal(fwd.url, '/backend/menu?size=large');
      assert.equal(fwd.headers.apikey, undefined);
      assert.ok(!JSON.stringify(fwd.headers).includes(key.split('.')[2]!));

      // Query parameter, URL-encoded as WSO2 documents (padding as %3D), and raw: stripped before forwarding.
      for (const q of [encodeURIComponent(key), key]) {
        const viaQuery = await s.call(`/pizzashack/1.0.0/menu?a=1&apikey=${q}&b=2`);
        assert.equal(viaQuery.status, 200, viaQuery.body);
        assert.equal(s.seen.at(-1)!.url, '/backend/menu?a=1&b=2');
      }

      // An application without a subscription: WSO2's exact 900908 body.
      const stranger = await generateKey(h, alice, unsubscribed.uuid);
      const forbidden = await s.call('/pizzashack/1.0.0/menu', { apikey: stranger });
      assert.equal(forbidden.status, 403);
      assert.equal(forbidden.body, NOT_SUBSCRIBED);

      // Restrictions issued by the control plane are enforced by the gateway (the client is 127.0.0.1).
      const ipDenied = await generateKey(h, alice, app.uuid, {
        additionalProperties: { permittedIP: '10.0.0.0/8' },
      });
      const ipAllowed = await generateKey(h, alice, app.uuid, {
        additionalProperties: { permittedIP: '10.0.0.0/8, 127.0.0.1' },
      });
      const refKey = await generateKey(h, alice, app.uuid, {
        additionalProperties: { permittedReferer: '*.example.com/*' },
      });
      const denied = await s.call('/pizzashack/1.0.0/menu', { apikey: ipDenied });
      assert.equal(denied.status, 403);
      assert.equal(denied.body, RESTRICTED);
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: ipAllowed })).status, 200);
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: refKey })).body, RESTRICTED);
      assert.equal(
        (await s.call('/pizzashack/1.0.0/menu', { apikey: refKey, referer: 'https://www.example.com/shop' }))
          .status,
        200,
      );

      // The seed's IPv6 restrictions, on a dual-stack listener: an IPv4 client arrives as ::ffff:127.0.0.1 and
      // is matched as 127.0.0.1; ::1 matches only an IPv6 entry.
      if (hasIpv6Loopback) {
        // An application of its own: Pizza's 10PerMin application quota is spent by the calls above.
        const v6App = await insertApplication(h.store, 'alice', 'Ipv6Clients');
        await insertSubscription(h.store, v6App.id, apiId, 'Gold');
        await h.ctx.snapshots.rebuild();
        const v6Only = await generateKey(h, alice, v6App.uuid, {
          additionalProperties: { permittedIP: '2002:eb8::2, 1001:ab8::/14, ::1' },
        });
        assert.equal((await s.callV6('/pizzashack/1.0.0/menu', { apikey: v6Only })).status, 200);
        assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: v6Only })).body, RESTRICTED);
        const v4Only = await generateKey(h, alice, v6App.uuid, {
          additionalProperties: { permittedIP: '127.0.0.1' },
        });
        assert.equal((await s.callV6('/pizzashack/1.0.0/menu', { apikey: v4Only })).body, RESTRICTED);
        assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: v4Only })).status, 200);
        const mappedEntry = await generateKey(h, alice, v6App.uuid, {
          additionalProperties: { permittedIP: '::ffff:127.0.0.1' },
        });
        assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: mappedEntry })).status, 200);
        assert.equal((await s.callV6('/pizzashack/1.0.0/menu', { apikey: mappedEntry })).body, RESTRICTED);
      }

      // Last used: recorded by the gateway callback, written by a flush.
      await s.usage.flush();
      const used = await rawDb(h.store)
        .selectFrom('api_keys')
        .select('last_used_at')
        .where('jti', '=', decodeKey(key).payload.jti as string)
        .executeTakeFirstOrThrow();
      assert.ok(used.last_used_at !== null && used.last_used_at <= Date.now());

      // Revocation through REST reaches the gateway within a second (event → snapshot → gateway).
      assert.equal((await revoke(h, alice, app.uuid, key)).statusCode, 200);
      const t0 = Date.now();
      let status = 200;
      while (Date.now() - t0 < 1000) {
        status = (await s.call('/pizzashack/1.0.0/menu', { apikey: key })).status;
        if (status === 401) break;
        await sleep(10);
      }
      assert.equal(status, 401, 'revoked key refused within 1 s');
      assert.equal((await s.call(`/pizzashack/1.0.0/menu?apikey=${encodeURIComponent(key)}`)).status, 401);
      assert.equal(
        (await s.call('/pizzashack/1.0.0/menu', { apikey: early })).status,
        200,
        'other keys unaffected',
      );

      // Full claim set: subscribedAPIs is checked, so a key issued before subscribing stays refused (WSO2 4.0–4.3).
      const full = await controlPlaneWith(h, {
        config: parseConfig(
          '[apim.key_manager]\nenable_lightweight_apikey_generation = false\n',
          'deployment.toml',
          {},
        ),
      });
      extra.push(full);
      const fullKey = await generateKey(full, alice, app.uuid);
      assert.equal(
        (decodeKey(fullKey).payload.subscribedAPIs as { context: string }[])[0]?.context,
        '/pizzashack/1.0.0',
      );
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: fullKey })).status, 200);
      const late = await insertApplication(h.store, 'alice', 'Late');
      const fullEarly = await generateKey(full, alice, late.uuid);
      await insertSubscription(h.store, late.id, apiId, 'Gold');
      await h.ctx.snapshots.rebuild();
      const stale = await s.call('/pizzashack/1.0.0/menu', { apikey: fullEarly });
      assert.equal(stale.status, 403);
      assert.equal(stale.body, NOT_SUBSCRIBED);
      assert.equal(
        (await s.call('/pizzashack/1.0.0/menu', { apikey: await generateKey(full, alice, late.uuid) }))
          .status,
        200,
      );
      assert.equal(
        (await s.call('/pizzashack/1.0.0/menu', { apikey: await generateKey(h, alice, late.uuid) })).status,
        200,
      );
    } finally {
      for (const e of extra) await e.close();
      await s.close();
      await h.close();
    }
  });

  test(`API keys end to end on ${d.name}: signing-key rotation keeps old keys valid while their cert is trusted`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    const s = await apiKeyGatewayStack(h);
    const extra: Harness[] = [];
    try {
      const alice = await subscriber(h, 'alice');
      const apiId = await insertApi(h.store, { endpoint: `${s.upstreamUrl}/backend` });
      const app = await insertApplication(h.store, 'alice', 'Pizza');
      await insertSubscription(h.store, app.id, apiId, 'Unlimited');
      await h.ctx.snapshots.rebuild();

      const keyA = await generateKey(h, alice, app.uuid);
      assert.equal(decodeKey(keyA).header.kid, 'gateway_certificate_alias');
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyA })).status, 200);

      // Switch the API-key signer to a new key and alias.
      const next = selfSignedKey('apikeysigner');
      const rotated = await controlPlaneWith(h, { apiKeySigner: next });
      extra.push(rotated);
      const keyB = await generateKey(rotated, alice, app.uuid);
      assert.equal(decodeKey(keyB).header.kid, 'apikeysigner');
      const untrusted = await s.call('/pizzashack/1.0.0/menu', { apikey: keyB });
      assert.equal(untrusted.status, 401, 'the new cert is not trusted yet');

      await h.ctx.trust.add('apikeysigner', next.certificatePem);
      await h.ctx.snapshots.rebuild();
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyB })).status, 200);
      assert.equal(
        (await s.call('/pizzashack/1.0.0/menu', { apikey: keyA })).status,
        200,
        'old key still valid',
      );
      const keyC = await generateKey(rotated, alice, app.uuid);
      assert.equal(decodeKey(keyC).header.kid, 'apikeysigner');
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyC })).status, 200);

      // Revoking works for both generations (each verified against its own kid).
      assert.equal((await revoke(rotated, alice, app.uuid, keyA)).statusCode, 200);
      assert.equal((await revoke(h, alice, app.uuid, keyB)).statusCode, 200);
      await h.ctx.snapshots.rebuild();
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyA })).status, 401);
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyB })).status, 401);
      assert.equal((await s.call('/pizzashack/1.0.0/menu', { apikey: keyC })).status, 200);
    } finally {
      for (const e of extra) await e.close();
      await s.close();
      await h.close();
    }
  });
}
