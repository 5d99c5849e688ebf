/**
 * Rough gateway overhead benchmark (architecture.md §5 budget): the same load against
 *   1. a bare node:http + undici proxy, and
 *   2. the Portico gateway (API-key auth + subscription check + subscription/application throttling),
 * both in front of the same upstream, each in its own process. Load is generated in-process with undici
 * (no wrk on this machine), so absolute numbers are pessimistic; compare the two rows.
 *
 *   npx tsx bench/gateway-overhead.ts [seconds=10] [connections=32]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { Pool } from 'undici';
import { systemClock } from '../src/core/index.js';
import { createGateway, defaultGatewaySettings } from '../src/gateway/index.js';
import { APPS, fixtureSnapshot } from '../src/gateway/test-support/fixture-snapshot.js';
import { keyManagerKeys, lightweightClaims, mintApiKey } from '../src/gateway/test-support/mint-tokens.js';
import { StaticSnapshotSource } from '../src/gateway/test-support/static-snapshot-source.js';

const role = process.argv[2];

async function listen(server: http.Server): Promise<number> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function upstream(): Promise<number> {
  const body = JSON.stringify([{ name: 'BBQ Chicken Bacon', price: '24.99' }]);
  return listen(
    http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    }),
  );
}

async function bare(target: string): Promise<number> {
  const pool = new Pool(target, { connections: 256 });
  return listen(
    http.createServer((req, res) => {
      const headers = { ...req.headers };
      delete headers.host;
      delete headers.connection;
      pool.request(
        { path: `/prod/api${req.url?.slice('/pizzashack/1.0.0'.length)}`, method: 'GET', headers },
        (err, data) => {
          if (err) {
            res.writeHead(502).end();
            return;
          }
          res.writeHead(data.statusCode, data.headers as http.OutgoingHttpHeaders);
          data.body.pipe(res);
        },
      );
    }),
  );
}

async function gateway(target: string): Promise<number> {
  const snap = fixtureSnapshot(target, keyManagerKeys().jwk);
  const big = {
    level: 'subscription' as const,
    requestCount: 1e9,
    unitTimeMs: 60_000,
    stopOnQuotaReach: true,
  };
  const gw = createGateway({
    snapshotSource: new StaticSnapshotSource({
      ...snap,
      policies: [
        ...snap.policies,
        { name: 'BenchGold', ...big, burst: { limit: 1e9, unit: 'sec' } },
        { name: 'BenchApp', ...big, level: 'application', burst: null },
      ],
      subscriptions: snap.subscriptions.map((s) =>
        s.applicationId === APPS.subscribed ? { ...s, policy: 'BenchGold' } : s,
      ),
      applications: snap.applications.map((a) =>
        a.id === APPS.subscribed ? { ...a, throttlingPolicy: 'BenchApp' } : a,
      ),
    }),
    clock: systemClock,
    logger: pino({ level: 'warn' }),
    settings: defaultGatewaySettings(),
    version: 'bench',
  });
  await gw.ready();
  return listen(http.createServer(gw.handle));
}

async function load(port: number, seconds: number, connections: number, apiKey: string) {
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections });
  const lat: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const worker = async () => {
    while (Date.now() < end) {
      const t = process.hrtime.bigint();
      const r = await pool.request({
        path: '/pizzashack/1.0.0/menu',
        method: 'GET',
        headers: { apikey: apiKey },
      });
      await r.body.dump();
      if (r.statusCode !== 200) errors++;
      lat.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  lat.sort((a, b) => a - b);
  const p = (q: number) => (lat[Math.min(lat.length - 1, Math.floor(lat.length * q))] ?? 0).toFixed(2);
  return { rps: Math.round(lat.length / seconds), p50: p(0.5), p99: p(0.99), errors };
}

function child(args: string[]): Promise<{ proc: ChildProcess; port: number }> {
  const proc = fork(fileURLToPath(import.meta.url), args, { execArgv: ['--import', 'tsx'] });
  return new Promise((resolve) => proc.once('message', (port) => resolve({ proc, port: Number(port) })));
}

if (role === 'upstream' || role === 'bare' || role === 'gateway') {
  const start =
    role === 'upstream' ? upstream() : role === 'bare' ? bare(process.argv[3]!) : gateway(process.argv[3]!);
  void start.then((port) => process.send?.(port));
} else {
  const seconds = Number(process.argv[2] ?? 10);
  const connections = Number(process.argv[3] ?? 32);
  const up = await child(['upstream']);
  const target = `http://127.0.0.1:${up.port}`;
  const apiKey = mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(Date.now() / 1000)));
  for (const name of ['bare', 'gateway', 'bare', 'gateway']) {
    const c = await child([name, target]);
    await load(c.port, 2, connections, apiKey); // warm-up
    console.log(name.padEnd(8), JSON.stringify(await load(c.port, seconds, connections, apiKey)));
    c.proc.kill();
  }
  up.proc.kill();
}
