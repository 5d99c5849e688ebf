import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { fakeClock, type DeltaBatch, type Snapshot, type SnapshotSource } from '../../core/index.js';
import { createGateway } from '../create-gateway.js';
import { defaultGatewaySettings } from '../gateway-options.js';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER, KM_NAME } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';

describe('a gateway following delta batches', () => {
  const km = keyManagerKeys();
  let h: Harness;
  let base: Snapshot;
  const token = (consumerKey: string): Record<string, string> => {
    const now = Math.floor(h.clock.now() / 1000);
    const jwt = mintAccessToken(km.privateKey, {
      sub: 'admin',
      azp: consumerKey,
      scope: 'default',
      iss: KM_ISSUER,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
    });
    return { authorization: `Bearer ${jwt}` };
  };
  const jtiOf = (auth: Record<string, string>): string =>
    (
      JSON.parse(Buffer.from(auth.authorization!.split('.')[1]!, 'base64url').toString()) as {
        jti: string;
      }
    ).jti;
  const batch = (deltas: DeltaBatch['deltas']): DeltaBatch => ({
    from: deltas[0]!.version,
    to: deltas[deltas.length - 1]!.version,
    deltas,
  });

  before(async () => {
    h = await startHarness((u) => (base = fixtureSnapshot(u, km.jwk)));
  });
  after(() => h.close());

  it('a revocation delta rejects a cached token on the next request', async () => {
    const auth = token(`ck-${APPS.subscribed}`);
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: auth })).status, 200);
    h.source.publishChanges(batch([{ version: 2, kind: 'revocation', key: jtiOf(auth), exp: null }]));
    const r = await h.request('/pizzashack/1.0.0/menu', { headers: auth });
    assert.equal(r.status, 401);
    assert.equal(h.gateway.currentVersion(), 2);
  });

  it('a policy delta takes effect for the resources that name it, without recompiling their API', async () => {
    const auth = token(`ck-${APPS.subscribed}`);
    const policy = base.policies.find((p) => p.name === '2PerMin')!;
    h.source.publishChanges(
      batch([
        {
          version: 3,
          kind: 'policy',
          key: `${policy.level}:2PerMin`,
          policy: { ...policy, requestCount: 1 },
        },
      ]),
    );
    assert.equal((await h.request('/pizzashack/1.0.0/limited', { headers: auth })).status, 200);
    assert.equal((await h.request('/pizzashack/1.0.0/limited', { headers: auth })).status, 429);
  });

  it('removing an application denies its tokens; a new subscription admits them', async () => {
    const auth = token(`ck-${APPS.unsubscribed}`);
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: auth })).status, 403);
    const apiId = base.apis[0]!.id;
    h.source.publishChanges(
      batch([
        {
          version: 4,
          kind: 'subscription',
          key: 'sub-new',
          apiId,
          applicationId: APPS.unsubscribed,
          subscription: {
            id: 'sub-new',
            apiId,
            applicationId: APPS.unsubscribed,
            policy: 'Unlimited',
            status: 'UNBLOCKED',
          },
        },
      ]),
    );
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: auth })).status, 200);
    h.source.publishChanges(
      batch([{ version: 5, kind: 'application', key: String(APPS.unsubscribed), application: null }]),
    );
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: auth })).status, 401);
    assert.equal(h.gateway.currentVersion(), 5);
  });

  it('a version gap is not applied and asks the source for a full snapshot', async () => {
    const resyncs = h.source.resyncs;
    const later = { ...base, version: 9, apis: [] };
    h.source.publishChanges(
      batch([{ version: 9, kind: 'keymanager', key: KM_NAME, keyManager: null }]),
      later,
    );
    await new Promise((r) => setImmediate(r));
    assert.equal(h.source.resyncs, resyncs + 1);
    assert.equal(h.gateway.currentVersion(), 9, 'the full snapshot of the resync is served');
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: token('ck-1') })).status, 404);
  });

  it('/health/ready reports lag and origin from the source status', async () => {
    h.source.status = () => ({
      origin: 'cache',
      version: 9,
      appliedAt: h.clock.now(),
      head: 12,
      lastContactAt: null,
      transport: 'none',
    });
    h.clock.advance(1500);
    try {
      const r = await h.request('/health/ready');
      assert.equal(r.status, 200);
      const body = JSON.parse(r.body) as Record<string, unknown>;
      assert.deepEqual(
        [body.status, body.origin, body.lag, body.snapshotVersion, body.ageMs],
        ['READY', 'cache', 3, 9, 1500],
      );
    } finally {
      delete h.source.status;
    }
  });
});

describe('a gateway with no snapshot yet', () => {
  it('is alive (/health 200) but not ready (/health/ready 503)', async () => {
    const never: SnapshotSource = {
      current: () => new Promise<Snapshot>(() => undefined),
      subscribe: () => () => undefined,
    };
    const gateway = createGateway({
      snapshotSource: never,
      clock: fakeClock(0),
      logger: pino({ level: 'silent' }),
      settings: defaultGatewaySettings(),
      version: '9.9.9',
    });
    const server = http.createServer(gateway.handle).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      const get = async (path: string) => {
        const res = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: res.status, body: (await res.json()) as Record<string, unknown> };
      };
      const live = await get('/health');
      assert.equal(live.status, 200);
      assert.deepEqual([live.body.status, live.body.origin, live.body.ageMs], ['UP', 'none', null]);
      const ready = await get('/health/ready');
      assert.equal(ready.status, 503);
      assert.deepEqual([ready.body.status, ready.body.softwareVersion], ['NOT_READY', '9.9.9']);
    } finally {
      await gateway.close();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });
});
