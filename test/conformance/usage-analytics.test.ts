import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import pino from 'pino';
import type { UsageBatch } from '../../src/core/index.js';
import {
  adminUsageRoutes,
  devportalUsageRoutes,
  publisherUsageRoutes,
} from '../../src/control-plane/analytics/index.js';
import { devportalApiKeyRoutes } from '../../src/control-plane/devportal/api-keys/index.js';
import {
  decodeKey,
  generateKey,
  insertApi,
  insertApplication,
  insertSubscription,
  subscriber,
} from '../../src/control-plane/devportal/api-keys/test-support/api-key-fixtures.js';
import { internalUsageRoutes } from '../../src/control-plane/internal/index.js';
import {
  controlPlaneUsageSink,
  createControlPlaneClient,
  createGateway,
  defaultGatewaySettings,
  startUsageFlusher,
  UsageBuffer,
} from '../../src/gateway/index.js';
import { ADMIN, basic, createHarness } from '../support/control-plane-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';

const logger = pino({ level: 'silent' });
const admin = { authorization: basic(ADMIN.username, ADMIN.password) };

interface Figures {
  count: number;
  success: number;
  clientErrors: number;
  serverErrors: number;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
}
const counts = (f: Figures) => [f.count, f.success, f.clientErrors, f.serverErrors];

for (const d of await testDialects()) {
  test(`usage analytics on ${d.name}: a real gateway's requests are counted exactly per API, application and key`, async () => {
    const h = await createHarness(await d.open(), [
      devportalApiKeyRoutes,
      devportalUsageRoutes,
      publisherUsageRoutes,
      adminUsageRoutes,
      internalUsageRoutes,
    ]);
    // The upstream answers the status the request asks for (`?status=`), 200 by default.
    const upstream = http.createServer((req, res) => {
      const status = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('status') ?? 200);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end('{}');
    });
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const buffer = new UsageBuffer(1000);
    const gateway = createGateway({
      snapshotSource: h.ctx.snapshots,
      clock: h.clock,
      logger,
      settings: defaultGatewaySettings(),
      version: 't',
      apiKeyHashSecret: h.ctx.apiKeyHashSecret,
      usage: buffer,
    });
    const server = http.createServer(gateway.handle).listen(0, '127.0.0.1');
    await once(server, 'listening');
    await gateway.ready();
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const call = async (path: string, headers: Record<string, string> = {}) =>
      (await fetch(`${base}${path}`, { headers })).status;
    try {
      const alice = await subscriber(h, 'alice');
      const bob = await subscriber(h, 'bob');
      const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
      const apiId = await insertApi(h.store, { endpoint: `${upstreamUrl}/backend` });
      const shop = await insertApplication(h.store, 'alice', 'Shop');
      const kiosk = await insertApplication(h.store, 'bob', 'Kiosk');
      await insertSubscription(h.store, shop.id, apiId, 'Gold');
      await insertSubscription(h.store, kiosk.id, apiId, 'Gold');
      await h.ctx.snapshots.rebuild();
      const a1 = await generateKey(h, alice, shop.uuid);
      const a2 = await generateKey(h, alice, shop.uuid);
      const b1 = await generateKey(h, bob, kiosk.uuid);
      const jti = (k: string) => decodeKey(k).payload.jti as string;

      const got: number[] = [];
      for (const [path, key] of [
        ['/pizzashack/1.0.0/menu', a1],
        ['/pizzashack/1.0.0/menu', a1],
        ['/pizzashack/1.0.0/menu', a1],
        ['/pizzashack/1.0.0/menu?status=404', a1],
        ['/pizzashack/1.0.0/menu?status=500', a1],
        ['/pizzashack/1.0.0/menu', a2],
        ['/pizzashack/1.0.0/menu', a2],
        ['/pizzashack/1.0.0/menu', b1],
        ['/pizzashack/1.0.0/menu', b1],
        ['/pizzashack/1.0.0/menu?status=500', b1],
        ['/pizzashack/1.0.0/menu', ''],
        ['/pizzashack/1.0.0/menu', ''],
        ['/pizzashack/1.0.0/menu', 'not.a.key'],
        ['/nothing-here/1.0.0/menu', a1], // no API: not usage of any API
      ] as const)
        got.push(await call(path, key === '' ? {} : { apikey: key }));
      assert.deepEqual(got, [200, 200, 200, 404, 500, 200, 200, 200, 200, 500, 401, 401, 401, 404]);

      // Flushed as a scaled-out gateway does: through the internal API, retried once after a "lost" answer.
      const sent: UsageBatch[] = [];
      const post = (batch: UsageBatch) =>
        h.app.inject({ method: 'POST', url: '/internal/data/v1/usage', headers: admin, payload: batch });
      const flusher = startUsageFlusher({
        buffer,
        logger,
        intervalMs: 3_600_000,
        sink: async (batch) => {
          sent.push(batch);
          const r = await post(batch);
          assert.equal(r.statusCode, 200, r.body);
          assert.deepEqual(r.json(), { applied: true });
        },
      });
      await flusher.flush();
      assert.equal(sent.length, 1);
      const again = await post(sent[0]!);
      assert.deepEqual(again.json(), { applied: false }, 'a retried flush id is applied once');
      await flusher.stop();

      const get = async (url: string, auth = admin) => {
        const r = await h.app.inject({ method: 'GET', url, headers: auth });
        assert.equal(r.statusCode, 200, r.body);
        return r.json();
      };
      // Developer Portal: Shop's traffic per API and per key (alice's own application).
      const shopUsage = await get(`/api/am/devportal/v3/applications/${shop.uuid}/usage`, alice);
      assert.deepEqual(counts(shopUsage.totals), [7, 5, 1, 1]);
      assert.deepEqual(
        shopUsage.byApi.map((x: Figures & { apiId: string }) => [x.apiId, ...counts(x)]),
        [[apiId, 7, 5, 1, 1]],
      );
      assert.deepEqual(
        shopUsage.byKey.map((x: Figures & { keyId: string; keyKind: string }) => [
          x.keyKind,
          x.keyId,
          ...counts(x),
        ]),
        [
          ['api-key', jti(a1), 5, 3, 1, 1],
          ['api-key', jti(a2), 2, 2, 0, 0],
        ],
      );
      assert.ok(
        shopUsage.totals.latencyP50Ms > 0 && shopUsage.totals.latencyP95Ms >= shopUsage.totals.latencyP50Ms,
      );
      assert.equal(
        shopUsage.series.reduce((n: number, p: Figures) => n + p.count, 0),
        7,
        'the series adds up to the totals',
      );
      // Only the caller's own applications: bob's Kiosk is not found for alice.
      const foreign = await h.app.inject({
        method: 'GET',
        url: `/api/am/devportal/v3/applications/${kiosk.uuid}/usage`,
        headers: alice,
      });
      assert.equal(foreign.statusCode, 404);
      assert.equal(foreign.json().errorCode, 'APPLICATION_NOT_FOUND');
      assert.deepEqual(
        counts((await get(`/api/am/devportal/v3/applications/${kiosk.uuid}/usage`, bob)).totals),
        [3, 2, 0, 1],
      );

      // Publisher: the API's traffic by application (anonymous 401s under no application).
      const apiUsage = await get(`/api/am/publisher/v4/apis/${apiId}/usage?granularity=minute`);
      assert.deepEqual(counts(apiUsage.totals), [13, 7, 4, 2]);
      assert.deepEqual(
        apiUsage.byApplication.map((x: Figures & { applicationId: string }) => [
          x.applicationId,
          ...counts(x),
        ]),
        [
          [shop.uuid, 7, 5, 1, 1],
          ['', 3, 0, 3, 0],
          [kiosk.uuid, 3, 2, 0, 1],
        ],
      );
      // Admin: platform totals.
      const platform = await get('/api/am/admin/v4/usage?granularity=day');
      assert.deepEqual(counts(platform.totals), [13, 7, 4, 2]);
      assert.equal(platform.byApplication.length, 3);

      // Nonsense is a 400 with a stable code; a subscriber is not an admin.
      for (const [q, code] of [
        ['granularity=week', 'INVALID_USAGE_QUERY'],
        ['from=yesterday', 'INVALID_USAGE_QUERY'],
        ['from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z', 'INVALID_USAGE_QUERY'],
        ['from=2026-11-01T00:00:00Z&to=2026-11-03T00:00:00Z&granularity=minute', 'USAGE_RANGE_TOO_LARGE'],
        ['from=1', 'INVALID_USAGE_QUERY'],
      ] as const) {
        const r = await h.app.inject({ method: 'GET', url: `/api/am/admin/v4/usage?${q}`, headers: admin });
        assert.equal(r.statusCode, 400, q);
        assert.equal(r.json().errorCode, code, q);
      }
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/api/am/admin/v4/usage', headers: alice })).statusCode,
        403,
      );
      // Scaled out: the gateway's sink over real HTTP to the control plane's internal API (Basic credentials).
      const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const client = createControlPlaneClient({
        urls: [address],
        username: ADMIN.username,
        password: ADMIN.password,
        ca: [],
        logger,
      });
      try {
        assert.equal(await call('/pizzashack/1.0.0/menu', { apikey: a2 }), 200);
        assert.equal(await call('/pizzashack/1.0.0/menu?status=500', { apikey: a2 }), 500);
        const remote = startUsageFlusher({
          buffer,
          logger,
          intervalMs: 3_600_000,
          sink: controlPlaneUsageSink(client, logger),
        });
        await remote.flush();
        assert.deepEqual(remote.status(), { flushedAggregates: 2, failedFlushes: 0, pending: false });
        await remote.stop();
      } finally {
        await client.close();
      }
      assert.deepEqual(counts((await get('/api/am/admin/v4/usage')).totals), [15, 8, 4, 3]);

      // A malformed flush writes nothing.
      const rowsBefore = await rawDb(h.store).selectFrom('usage_minutes').select('count').execute();
      const bad = await post({
        flushId: 'f-00000000',
        aggregates: [{ ...sent[0]!.aggregates[0]!, count: -5 }],
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        await rawDb(h.store).selectFrom('usage_minutes').select('count').execute(),
        rowsBefore,
      );
    } finally {
      await gateway.close();
      server.closeAllConnections();
      upstream.closeAllConnections();
      await new Promise((r) => server.close(r));
      await new Promise((r) => upstream.close(r));
      await h.close();
    }
  });
}
