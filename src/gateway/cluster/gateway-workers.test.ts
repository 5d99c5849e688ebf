import assert from 'node:assert/strict';
import cluster from 'node:cluster';
import { once } from 'node:events';
import { createHash, verify } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { defaultGatewaySettings } from '../gateway-options.js';
import { BODY } from '../test-support/expected-faults.js';
import { APPS, fixtureSnapshot } from '../test-support/fixture-snapshot.js';
import { apiKeySigner, keyManagerKeys, lightweightClaims, mintApiKey } from '../test-support/mint-tokens.js';
import { StaticSnapshotSource } from '../test-support/static-snapshot-source.js';
import { freshConnectionGet } from '../test-support/fresh-connection-get.js';
import { UsageBuffer } from '../analytics/usage-buffer.js';
import { startGatewayWorkers, type GatewayWorkers } from './index.js';

const get = freshConnectionGet;

describe('startGatewayWorkers', () => {
  const km = keyManagerKeys();
  const seen: http.IncomingHttpHeaders[] = [];
  const upstream = http.createServer((req, res) => {
    seen.push(req.headers);
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  let source: StaticSnapshotSource;
  let workers: GatewayWorkers;
  const used: string[] = [];
  const usage = new UsageBuffer(1000);
  const backendSettings = {
    ...defaultGatewaySettings(),
    backendJwt: { ...defaultGatewaySettings().backendJwt, enabled: true },
    backendJwtKey: { privateKey: apiKeySigner.privateKey, certificate: apiKeySigner.certificate },
  };

  before(async () => {
    upstream.listen(0, '127.0.0.1');
    await once(upstream, 'listening');
    const url = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    source = new StaticSnapshotSource(fixtureSnapshot(url, km.jwk));
    workers = await startGatewayWorkers({
      workers: 2,
      snapshotSource: source,
      settings: backendSettings,
      logger: pino({ level: 'silent' }),
      version: '0.1.0-test',
      listeners: [{ host: '127.0.0.1', port: 0 }],
      onApiKeyUsed: (jti) => used.push(jti),
      apiKeySigningAlias: 'gateway_certificate_alias',
      usage,
    });
  });
  after(async () => {
    await workers.close();
    upstream.closeAllConnections();
    await new Promise((r) => upstream.close(r));
  });

  it('serves from every worker on one shared port, with the backend JWT signed by the PEM-passed key', async () => {
    assert.equal(workers.ports.length, 1);
    const claims = lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000));
    const key = mintApiKey(claims);
    for (let i = 0; i < 4; i++) {
      const r = await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key });
      assert.equal(r.status, 200);
      assert.equal(r.body, '{"ok":true}');
    }
    const jwt = seen.at(-1)!['x-jwt-assertion'];
    assert.equal(typeof jwt, 'string');
    const [h, p, s] = (jwt as string).split('.');
    const header = JSON.parse(Buffer.from(h!, 'base64').toString()) as { x5t: string };
    const thumb = createHash('sha1').update(apiKeySigner.certificate.raw).digest('hex');
    assert.equal(Buffer.from(header.x5t, 'base64').toString(), thumb);
    assert.equal(
      verify(
        'sha256',
        Buffer.from(`${h}.${p}`),
        apiKeySigner.certificate.publicKey,
        Buffer.from(s!, 'base64'),
      ),
      true,
    );
    // Usage is batched by each worker and reaches the primary within about a second.
    const deadline = Date.now() + 3000;
    while (!used.includes(claims.jti) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    assert.ok(used.includes(claims.jti));
  });

  it('aggregates usage over the workers in the primary, exactly', async () => {
    await new Promise((r) => setTimeout(r, 1500)); // what earlier tests sent has reached the primary
    usage.drain();
    const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++)
      statuses.push((await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key })).status);
    for (let i = 0; i < 3; i++)
      statuses.push((await get(workers.ports[0]!, '/pizzashack/1.0.0/menu')).status);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 200, 401, 401, 401]);
    const totals = new Map<string, number>();
    for (let i = 0; i < 30 && (totals.get('2xx') !== 6 || totals.get('4xx') !== 3); i++) {
      await new Promise((r) => setTimeout(r, 200));
      for (const a of usage.drain()) totals.set(a.statusClass, (totals.get(a.statusClass) ?? 0) + a.count);
    }
    assert.deepEqual(Object.fromEntries(totals), { '2xx': 6, '4xx': 3 });
    assert.equal(usage.dropped, 0);
  });

  it('shares a quota between the workers: they lease from the primary, without Redis', async () => {
    // 3PerMin: keep the whole burst inside one minute.
    const toNextMinute = 60_000 - (Date.now() % 60_000);
    if (toNextMinute < 3000) await new Promise((r) => setTimeout(r, toNextMinute + 50));
    const key = mintApiKey(lightweightClaims(APPS.subLimited, Math.floor(Date.now() / 1000)));
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key })).status);
    }
    assert.equal(statuses.filter((s) => s === 200).length, 3, statuses.join(' '));
    assert.equal(statuses.filter((s) => s === 429).length, 9, statuses.join(' '));
  });

  it('sends each new snapshot to every worker', async () => {
    const current = await source.current();
    source.publish({
      ...current,
      version: current.version + 1,
      apis: current.apis.map((a) => (a.id === 'pizza' ? { ...a, lifecycle: 'BLOCKED' as const } : a)),
    });
    const deadline = Date.now() + 3000;
    let versions: number[] = [];
    while (Date.now() < deadline) {
      const rs = await Promise.all([1, 2, 3, 4].map(() => get(workers.ports[0]!, '/health')));
      versions = rs.map((r) => (JSON.parse(r.body) as { snapshotVersion: number }).snapshotVersion);
      if (versions.every((v) => v === current.version + 1)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual(versions, [2, 2, 2, 2]);
    const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
    for (let i = 0; i < 4; i++) {
      const r = await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key });
      assert.equal(r.status, 503);
      assert.equal(r.body, BODY.lifecycleBlocked);
    }
  });

  const versionsSeen = async (want: number): Promise<number[]> => {
    const deadline = Date.now() + 3000;
    let versions: number[] = [];
    while (Date.now() < deadline) {
      const rs = await Promise.all([1, 2, 3, 4].map(() => get(workers.ports[0]!, '/health')));
      versions = rs.map((r) => (JSON.parse(r.body) as { snapshotVersion: number }).snapshotVersion);
      if (versions.every((v) => v === want)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    return versions;
  };

  it('forwards delta batches to every worker; a worker that sees a gap gets a full snapshot', async () => {
    const current = await source.current();
    const v = current.version + 1;
    const pizza = current.apis.find((a) => a.id === 'pizza')!;
    source.publishChanges({
      from: v,
      to: v,
      deltas: [{ version: v, kind: 'api', key: 'pizza', api: { ...pizza, lifecycle: 'PUBLISHED' } }],
    });
    assert.deepEqual(await versionsSeen(v), [v, v, v, v]);
    const key = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
    for (let i = 0; i < 4; i++)
      assert.equal((await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key })).status, 200);

    // A batch past version + 1: each worker asks the primary, which sends the source's current snapshot.
    const resyncAt = v + 5;
    source.publishChanges(
      { from: resyncAt, to: resyncAt, deltas: [] },
      { ...current, version: resyncAt, apis: [] },
    );
    assert.deepEqual(await versionsSeen(resyncAt), [resyncAt, resyncAt, resyncAt, resyncAt]);
    assert.equal((await get(workers.ports[0]!, '/pizzashack/1.0.0/menu', { apikey: key })).status, 404);
  });

  it("says on every worker's /health when the served trust store lacks the API-key signing alias", async () => {
    const warningsSeen = async (want: (w: readonly string[]) => boolean): Promise<string[][]> => {
      const deadline = Date.now() + 3000;
      let seenWarnings: string[][] = [];
      while (Date.now() < deadline) {
        const rs = await Promise.all([1, 2, 3, 4].map(() => get(workers.ports[0]!, '/health')));
        seenWarnings = rs.map((r) => (JSON.parse(r.body) as { warnings: string[] }).warnings);
        if (seenWarnings.every(want)) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      return seenWarnings;
    };
    assert.deepEqual(await warningsSeen((w) => w.length === 0), [[], [], [], []]);
    const current = await source.current();
    source.publish({ ...current, version: current.version + 1, trustedCerts: {} });
    const warning =
      'API-key signing alias "gateway_certificate_alias" is not in the served trust store: JWT API keys with kid "gateway_certificate_alias" are refused';
    assert.deepEqual(await warningsSeen((w) => w.length === 1), [[warning], [warning], [warning], [warning]]);
    source.publish({ ...current, version: current.version + 2 });
    assert.deepEqual(await warningsSeen((w) => w.length === 0), [[], [], [], []]);
  });

  it('rejects when the workers cannot listen, and leaves no worker running', async () => {
    const busy = http.createServer();
    busy.listen(0, '127.0.0.1');
    await once(busy, 'listening');
    const port = (busy.address() as AddressInfo).port;
    try {
      await assert.rejects(
        startGatewayWorkers({
          workers: 1,
          snapshotSource: source,
          settings: defaultGatewaySettings(),
          logger: pino({ level: 'silent' }),
          version: '0.1.0-test',
          listeners: [{ host: '127.0.0.1', port }],
        }),
        /gateway worker failed to start: .*EADDRINUSE/,
      );
      // Only the two workers of the suite's gateway are left.
      assert.equal(Object.keys(cluster.workers ?? {}).length, 2);
    } finally {
      await new Promise((r) => busy.close(r));
    }
  });

  it('stops every worker on close', async () => {
    const port = workers.ports[0]!;
    await workers.close();
    await assert.rejects(get(port, '/health'), /ECONNREFUSED/);
  });
});
