/**
 * Scale benchmark (issue 11): one control plane and two gateway processes from dist/ on PostgreSQL + Redis, with
 * a seeded store of 10k / 100k / 1M API-key records (applications = keys / 10, subscriptions = keys / 5, 10 % of
 * the keys revoked). Per size it measures the snapshot build (time, bytes), each gateway's RSS once serving, the
 * revocation latency to each gateway (p50/p99 of revoke → 401), and the control plane's CPU per change.
 *   node scripts/build.js && npx tsx bench/scale/run-scale.ts            (SCALE_KEYS=10000,100000,1000000 REVOCATIONS=20)
 * Loopback only; every step is bounded in time. Writes bench/results/scale-latest.json.
 */
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Agent, request } from 'undici';
import { openStore } from '../../src/store/index.js';
import { runPortico, type PorticoRun } from '../../test/support/portico-process.js';
import { scaleSize, seedScale, type ScaleSize } from './seed-scale.js';

const PG = process.env.PORTICO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const REDIS = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SIZES = (process.env.SCALE_KEYS ?? '10000,100000,1000000').split(',').map(Number);
const REVOCATIONS = Number(process.env.REVOCATIONS ?? 20);
const CHANGES = 50;
const insecure = new Agent({ connect: { rejectUnauthorized: false }, connections: 8 });

async function call(
  url: string,
  opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
) {
  const res = await request(url, {
    method: (opts.method ?? (opts.body === undefined ? 'GET' : 'POST')) as 'GET',
    headers: { ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    dispatcher: insecure,
    headersTimeout: 120_000,
    bodyTimeout: 120_000,
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, headers: res.headers };
}

async function until(
  what: string,
  fn: () => Promise<boolean>,
  timeoutMs: number,
  stepMs = 50,
): Promise<number> {
  const started = Date.now();
  while (!(await fn())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return Date.now() - started;
}

const cpuMs = (pid: number): number => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
};
const rssMb = (pid: number): number =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

function home(dir: string, offset: number, db: string, pw: string, ns: string, cpUrl: string): string {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  writeFileSync(
    join(dir, 'conf', 'deployment.toml'),
    [
      '[server]',
      `offset = ${offset}`,
      '[super_admin]',
      `password = "${pw}"`,
      '[database.apim_db]',
      'type = "postgres"',
      `url = "${db}"`,
      'pool_size = 8',
      '[event_hub]',
      'type = "redis"',
      `redis_url = "${REDIS}"`,
      `namespace = "${ns}"`,
      '[apim.sample]',
      'deploy_on_first_start = false',
      '[apim.gateway]',
      `control_plane_url = "${cpUrl}"`,
      'sync_username = "admin"',
      `sync_password = "${pw}"`,
      'sync_poll_interval = 5',
      '[log]',
      'level = "warn"',
      '',
    ].join('\n'),
  );
  return dir;
}

async function ready(run: PorticoRun, line: string, timeoutMs: number): Promise<void> {
  await until(
    line,
    async () => {
      if (run.child.exitCode !== null) throw new Error(`exited: ${run.stderr().slice(-2000)}`);
      return run.stdout().includes(line);
    },
    timeoutMs,
    100,
  );
}

async function measure(size: ScaleSize, upstream: string) {
  const name = `portico_scale_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(PG);
  url.pathname = `/${name}`;
  const store = await openStore({ type: 'postgres', url: url.toString() });
  await store.migrate();
  await store.close();
  const seedMs = await seedScale(url.toString(), size, upstream);
  const off = 3000 + 10 * Math.floor(Math.random() * 1000);
  const pw = `pw-${randomBytes(6).toString('hex')}`;
  const ns = `scale-${randomBytes(3).toString('hex')}`;
  const root = mkdtempSync(join(tmpdir(), 'portico-scale-'));
  const CP = `https://localhost:${9443 + off}`;
  const runs: PorticoRun[] = [];
  try {
    const cpHome = home(join(root, 'cp'), off, url.toString(), pw, ns, CP);
    const cp = runPortico(['control-plane', '--home', cpHome]);
    runs.push(cp);
    await ready(cp, 'Portico control plane ready', 120_000);
    const auth = { authorization: `Basic ${Buffer.from(`admin:${pw}`).toString('base64')}` };
    let started = Date.now();
    const snap = await call(`${CP}/internal/data/v1/snapshot`, { headers: auth });
    const snapshotMs = Date.now() - started;
    const snapshotBytes = Buffer.byteLength(snap.text);
    const gws = [1, 2].map((i) => {
      const dir = join(root, `gw${i}`);
      cpSync(cpHome, dir, { recursive: true });
      return runPortico(['gateway', '--home', home(dir, off + i, url.toString(), pw, ns, CP)]);
    });
    runs.push(...gws);
    started = Date.now();
    await Promise.all(gws.map((g) => ready(g, 'Portico gateway ready', 180_000)));
    const gatewaysReadyMs = Date.now() - started;
    const gwUrls = [1, 2].map((i) => `http://127.0.0.1:${8280 + off + i}`);

    // A real application with API keys, on a seeded API, to revoke from.
    const app = JSON.parse(
      (
        await call(`${CP}/api/am/devportal/v3/applications`, {
          headers: auth,
          body: { name: 'ScaleProbe', throttlingPolicy: 'Unlimited' },
        })
      ).text,
    ).applicationId as string;
    const sub = await call(`${CP}/api/am/devportal/v3/subscriptions`, {
      headers: auth,
      body: { applicationId: app, apiId: 'scale-api-0', throttlingPolicy: 'Unlimited' },
    });
    const latencies: number[][] = [[], []];
    const afterAnswer: number[][] = [[], []];
    for (let i = 0; i < REVOCATIONS; i++) {
      const key = JSON.parse(
        (
          await call(`${CP}/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION/generate`, {
            headers: auth,
            body: {},
          })
        ).text,
      ).apikey as string;
      for (const gw of gwUrls) {
        await until(
          'key accepted',
          async () => (await call(`${gw}/scale0/1.0.0/x`, { headers: { apikey: key } })).status === 200,
          60_000,
          20,
        );
      }
      const t0 = Date.now();
      await call(`${CP}/api/am/devportal/v3/applications/${app}/api-keys/PRODUCTION/revoke`, {
        headers: auth,
        body: { apikey: key },
      });
      const answered = Date.now();
      await Promise.all(
        gwUrls.map(async (gw, g) => {
          await until(
            'revocation enforced',
            async () => (await call(`${gw}/scale0/1.0.0/x`, { headers: { apikey: key } })).status === 401,
            60_000,
            2,
          );
          latencies[g]!.push(Date.now() - t0);
          afterAnswer[g]!.push(Date.now() - answered);
        }),
      );
    }
    const subId = JSON.parse(sub.text).subscriptionId as string;
    // The same number of authenticated reads of the same resource, and the same idle tail: what a change costs
    // beyond authenticating a request (Basic auth hashes the password) and background work (heartbeats, polls).
    const base0 = cpuMs(cp.child.pid!);
    for (let i = 0; i < CHANGES; i++) {
      await call(`${CP}/api/am/devportal/v3/subscriptions/${subId}`, { headers: auth });
    }
    await new Promise((r) => setTimeout(r, 2000));
    const readCpuMs = (cpuMs(cp.child.pid!) - base0) / CHANGES;
    const cpu0 = cpuMs(cp.child.pid!);
    for (let i = 0; i < CHANGES; i++) {
      await call(`${CP}/api/am/devportal/v3/subscriptions/${subId}`, {
        method: 'PUT',
        headers: auth,
        body: { applicationId: app, apiId: 'scale-api-0', throttlingPolicy: i % 2 ? 'Gold' : 'Unlimited' },
      });
    }
    await new Promise((r) => setTimeout(r, 2000)); // let the feed relay the last ones
    const cpuPerChangeMs = (cpuMs(cp.child.pid!) - cpu0) / CHANGES;
    return {
      ...size,
      seedMs,
      snapshotMs,
      snapshotMB: +(snapshotBytes / 1e6).toFixed(1),
      gatewaysReadyMs,
      gatewayRssMB: gws.map((g) => Math.round(rssMb(g.child.pid!))),
      revocationMs: latencies.map((l) => ({ p50: pct(l, 0.5), p99: pct(l, 0.99), max: Math.max(...l) })),
      revocationAfterAnswerMs: afterAnswer.map((l) => ({ p50: pct(l, 0.5), p99: pct(l, 0.99) })),
      cpuPerChangeMs: +cpuPerChangeMs.toFixed(2),
      cpuPerChangeBeyondReadMs: +(cpuPerChangeMs - readCpuMs).toFixed(2),
    };
  } finally {
    for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
    await Promise.all(runs.map((r) => r.exited));
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
    await admin.end();
  }
}

const upstream = http.createServer((_req, res) => res.end('{}'));
await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/`;
const results = [];
for (const keys of SIZES) {
  const r = await measure(scaleSize(keys), upstreamUrl);
  console.log(JSON.stringify(r));
  results.push(r);
}
upstream.close();
await insecure.close();
mkdirSync(new URL('../results/', import.meta.url), { recursive: true });
writeFileSync(
  new URL('../results/scale-latest.json', import.meta.url),
  JSON.stringify(
    { at: new Date().toISOString(), loadavg: (await import('node:os')).loadavg(), results },
    null,
    2,
  ),
);
