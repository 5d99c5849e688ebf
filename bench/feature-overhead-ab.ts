/**
 * What one gateway feature costs, measured as an interleaved A/B: two gateway processes serve the same snapshot
 * at once, (c) without the feature and (c) with it (OAuth2 JWT + subscription, as in run-bench.ts), and wrk loads
 * them in turn for SLICE_S seconds each, in A-B-B-A order, for PAIRS pairs. A shared VM's speed drifts by ±20 %
 * between the rounds of run-bench.ts (each scenario there runs in its own minutes); slices seconds apart in ABBA
 * order see the same host, so the totals compare the code, not the moment. Both gateways (all their threads) are
 * pinned to CPU 1 and wrk, the upstream and this runner to CPU 0 (taskset), so neither side is favoured by where
 * the scheduler put its process. Prints one JSON line.
 *
 *   npx tsx bench/feature-overhead-ab.ts                 # FEATURE=metrics PAIRS=12 SLICE_S=2
 *   FEATURE=usage npx tsx bench/feature-overhead-ab.ts   # metrics | usage | tracing; SWAP=1: start order reversed
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { APP_UNLIMITED, benchSnapshot, kmKeys, mintJwt } from './bench-fixture.js';
import { cpuTicks, runWrk, TICK_US, type WrkResult } from './wrk-load.js';

const FEATURE = process.env.FEATURE ?? 'metrics';
const PAIRS = Number(process.env.PAIRS ?? 12);
const SLICE_S = Number(process.env.SLICE_S ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
if (!['metrics', 'usage', 'tracing'].includes(FEATURE))
  throw new Error(`FEATURE must be metrics, usage or tracing`);

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));

const pin = (pid: number, cpu: number) =>
  execFileSync('taskset', ['-a', '-cp', String(cpu), String(pid)], { stdio: 'ignore' });
pin(process.pid, 0);

function start(file: string, args: string[]): { proc: ChildProcess; port: Promise<number> } {
  const proc = fork(here(file), args, { execArgv: ['--import', 'tsx'], stdio: 'inherit' });
  const port = new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
  return { proc, port };
}

async function wrk(port: number, seconds: number, header: string): Promise<WrkResult> {
  const r = await runWrk({
    url: `http://127.0.0.1:${port}/bench/1.0.0/menu`,
    seconds,
    connections: CONNECTIONS,
    script: here('wrk-report.lua'),
    header: ['Authorization', header],
    cpu: 0,
  });
  if (Object.values(r.errors).some((n) => n > 0)) throw new Error(`wrk errors ${JSON.stringify(r.errors)}`);
  return r;
}

const km = kmKeys();
const bearer = `Bearer ${mintJwt(km.privateKey, APP_UNLIMITED)}`;
const upstream = start('upstream.ts', []);
const upstreamUrl = `http://127.0.0.1:${await upstream.port}`;
const snapshot = benchSnapshot(upstreamUrl, km.jwk);
const featureArgs = {
  metrics: ['0', 'metrics', '', 'no-usage'],
  usage: ['0', 'no-metrics', '', 'usage'],
  tracing: ['0', 'no-metrics', `${upstreamUrl}/v1/traces`, 'no-usage'],
}[FEATURE]!;
// SWAP=1 starts the feature's gateway first (the start order must not favour a side).
const withoutArgs = ['0', 'no-metrics', '', 'no-usage'];
const order = process.env.SWAP === '1' ? ['with', 'without'] : ['without', 'with'];
const started = new Map(
  order.map((n) => [n, start('gateway-server.ts', n === 'with' ? featureArgs : withoutArgs)]),
);
const sides = ['without', 'with'].map((name) => ({ name, ...started.get(name)! }));
for (const s of sides) s.proc.send({ snapshot });
const ports = await Promise.all(sides.map((s) => s.port));
pin(upstream.proc.pid!, 0);
for (const s of sides) pin(s.proc.pid!, 1);
const totals = sides.map(() => ({ requests: 0, seconds: 0, ticks: 0, slices: [] as number[] }));
const load0 = loadavg()[0]!;
try {
  for (const i of [0, 1]) await wrk(ports[i]!, 2, bearer); // warm-up
  for (let pair = 0; pair < PAIRS; pair++) {
    for (const i of pair % 2 === 0 ? [0, 1] : [1, 0]) {
      const pid = sides[i]!.proc.pid!;
      const before = cpuTicks(pid);
      const r = await wrk(ports[i]!, SLICE_S, bearer);
      const t = totals[i]!;
      t.ticks += cpuTicks(pid) - before;
      t.requests += r.requests;
      t.seconds += r.durationUs / 1e6;
      t.slices.push(Math.round(r.requests / (r.durationUs / 1e6)));
    }
  }
} finally {
  for (const s of [...sides, upstream]) s.proc.kill('SIGTERM');
}
const figures = totals.map((t) => ({
  reqPerS: Math.round(t.requests / t.seconds),
  cpuUsPerReq: Number(((t.ticks * TICK_US) / t.requests).toFixed(1)),
  slices: t.slices,
}));
const [without, withFeature] = figures as [(typeof figures)[0], (typeof figures)[0]];
console.log(
  JSON.stringify({
    bench: 'feature-overhead-ab',
    feature: FEATURE,
    node: process.version,
    pairs: PAIRS,
    sliceS: SLICE_S,
    connections: CONNECTIONS,
    loadavg: [load0, loadavg()[0]],
    without,
    with: withFeature,
    throughputRatio: Number((withFeature.reqPerS / without.reqPerS).toFixed(3)),
    cpuRatio: Number((without.cpuUsPerReq / withFeature.cpuUsPerReq).toFixed(3)),
    goal: FEATURE === 'metrics' ? 0.97 : null,
  }),
);
