/**
 * Runs every gateway benchmark in one go (see docs/benchmarks.md): one upstream process, then for each scenario
 * and round a fresh proxy process loaded by wrk on loopback; prints a table and writes bench/results/latest.json.
 *   node --import tsx bench/run-bench.ts            (what `npm run bench` / bench/run.sh run)
 * Env: BENCH_ROUNDS (2), BENCH_SECONDS (8, max 10), BENCH_CONNECTIONS (50), BENCH_ONLY (comma list of scenario ids),
 *      BENCH_PROFILE=1 (gateway processes write --cpu-prof profiles to bench/results/prof).
 */
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { benchSnapshot, kmKeys, mintApiKey, mintJwt, APP_GOLD, APP_UNLIMITED } from './bench-fixture.js';
import { measureColdKeys, type ColdResult } from './cold-keys.js';
import { cpuTicks, runWrk, TICK_US, type WrkResult } from './wrk-load.js';

const here = (f: string) => fileURLToPath(new URL(f, import.meta.url));
/** `.js` when run from the esbuild output (bench/run.sh), `.ts` under tsx. */
const EXT = extname(fileURLToPath(import.meta.url));
const LOADER = EXT === '.ts' ? ['--import', 'tsx'] : [];
// The source folder (bench/run.sh runs the transpiled copy from the repository root).
const benchDir = EXT === '.ts' ? here('.') : resolve(process.cwd(), 'bench');
const wrkScript = join(benchDir, 'wrk-report.lua');
const resultsDir = join(benchDir, 'results/');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const SECONDS = Math.min(10, Number(process.env.BENCH_SECONDS ?? 8));
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const WARMUP_SECONDS = 2;
const PROFILE = process.env.BENCH_PROFILE === '1';

interface Scenario {
  id: string;
  label: string;
  proxy: 'upstream' | 'bare' | 'bare-dispatch' | 'gateway';
  workers?: number;
  /** Gateway with `[metrics]` on (loopback): every request recorded. */
  metrics?: boolean;
  /** Gateway with `[tracing]` on, every request sampled, spans exported to the upstream process (answers 200). */
  tracing?: boolean;
  /** Gateway with usage analytics on (per-minute aggregates recorded for every answer, flushed in the background). */
  usage?: boolean;
  path: string;
  header?: [string, string];
}

const km = kmKeys();
const jwtUnlimited = mintJwt(km.privateKey, APP_UNLIMITED);
const jwtGold = mintJwt(km.privateKey, APP_GOLD);
const apiKey = mintApiKey(APP_GOLD);

const scenarios: Scenario[] = [
  { id: 'u', label: 'upstream direct (no proxy, ceiling)', proxy: 'upstream', path: '/api/menu' },
  { id: 'a', label: '(a) node:http + undici Pool (reference)', proxy: 'bare', path: '/bench/1.0.0/menu' },
  {
    id: 'a2',
    label: '(a2) node:http + undici dispatch (bare)',
    proxy: 'bare-dispatch',
    path: '/bench/1.0.0/menu',
  },
  { id: 'b', label: '(b) gateway, authType None', proxy: 'gateway', path: '/bench/1.0.0/open' },
  {
    id: 'c',
    label: '(c) gateway, OAuth2 JWT + sub Unlimited',
    proxy: 'gateway',
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
  {
    id: 'd',
    label: '(d) gateway, OAuth2 JWT + sub Gold-like',
    proxy: 'gateway',
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtGold}`],
  },
  {
    id: 'e',
    label: '(e) gateway, API key header (Gold-like)',
    proxy: 'gateway',
    path: '/bench/1.0.0/menu',
    header: ['ApiKey', apiKey],
  },
  {
    id: 'f',
    label: '(f) gateway, API key query (Gold-like)',
    proxy: 'gateway',
    path: `/bench/1.0.0/menu?apikey=${encodeURIComponent(apiKey)}`,
  },
  {
    id: 'c-m',
    label: '(c) with metrics on',
    proxy: 'gateway',
    metrics: true,
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
  {
    id: 'c-u',
    label: '(c) with usage analytics on',
    proxy: 'gateway',
    usage: true,
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
  {
    id: 'c-t',
    label: '(c) with tracing on (all sampled)',
    proxy: 'gateway',
    tracing: true,
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
  {
    id: 'c-w1',
    label: '(c) with 1 worker process',
    proxy: 'gateway',
    workers: 1,
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
  {
    id: 'c-w2',
    label: '(c) with 2 worker processes',
    proxy: 'gateway',
    workers: 2,
    path: '/bench/1.0.0/menu',
    header: ['Authorization', `Bearer ${jwtUnlimited}`],
  },
];

function child(
  file: string,
  args: string[],
  execArgv: string[] = [],
): Promise<{ proc: ChildProcess; port: number }> {
  const proc = fork(here(file + EXT), args, { execArgv: [...LOADER, ...execArgv], stdio: 'inherit' });
  return new Promise((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve({ proc, port: m.port }));
    proc.once('exit', (code) => reject(new Error(`${file} exited with ${code} before listening`)));
  });
}

async function stop(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.disconnect();
  await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
  if (proc.exitCode === null) proc.kill('SIGKILL');
}

const wrk = (port: number, s: Scenario, seconds: number): Promise<WrkResult> =>
  runWrk({
    url: `http://127.0.0.1:${port}${s.path}`,
    seconds,
    connections: CONNECTIONS,
    script: wrkScript,
    ...(s.header ? { header: s.header } : {}),
  });

async function probe(port: number, s: Scenario): Promise<void> {
  const headers: Record<string, string> = s.header ? { [s.header[0]]: s.header[1] } : {};
  const r = await fetch(`http://127.0.0.1:${port}${s.path}`, { headers });
  const body = await r.text();
  if (r.status !== 200) throw new Error(`${s.id}: probe answered ${r.status} ${body}`);
}

const loadavg = (): number => Math.round(os.loadavg()[0]! * 10) / 10;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

const only = process.env.BENCH_ONLY?.split(',');
const selected = scenarios.filter((s) => only === undefined || only.includes(s.id));
const up = await child('upstream', []);
const upstreamUrl = `http://127.0.0.1:${up.port}`;
const snapshot = benchSnapshot(upstreamUrl, km.jwk);
if (PROFILE) mkdirSync(`${resultsDir}prof`, { recursive: true });

async function startProxy(s: Scenario): Promise<{ proc: ChildProcess | null; port: number }> {
  if (s.proxy === 'upstream') return { proc: null, port: up.port };
  if (s.proxy === 'bare') return child('bare-proxy', [upstreamUrl]);
  if (s.proxy === 'bare-dispatch') return child('bare-dispatch', [upstreamUrl]);
  const prof = PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${`${resultsDir}prof`}`] : [];
  const proc = fork(
    here(`gateway-server${EXT}`),
    [
      String(s.workers ?? 0),
      s.metrics === true ? 'metrics' : 'no-metrics',
      s.tracing === true ? `${upstreamUrl}/v1/traces` : '',
      s.usage === true ? 'usage' : 'no-usage',
    ],
    {
      execArgv: [...LOADER, ...prof],
      stdio: 'inherit',
    },
  );
  const port = await new Promise<number>((resolve, reject) => {
    proc.once('message', (m: { port: number }) => resolve(m.port));
    proc.once('exit', (code) => reject(new Error(`gateway exited with ${code}`)));
    proc.send({ snapshot });
  });
  return { proc, port };
}

const runs: Record<string, WrkResult[]> = {};
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const s of selected) {
      const p = await startProxy(s);
      try {
        await probe(p.port, s);
        await wrk(p.port, s, WARMUP_SECONDS);
        const pid = p.proc?.pid ?? up.proc.pid!;
        const before = cpuTicks(pid);
        const r = await wrk(p.port, s, SECONDS);
        r.cpuUsPerReq = Math.round((((cpuTicks(pid) - before) * TICK_US) / r.requests) * 10) / 10;
        r.loadavg = loadavg();
        const errs = Object.values(r.errors).reduce((a, b) => a + b, 0);
        if (errs > 0) console.error(`  ${s.id}: wrk reported errors ${JSON.stringify(r.errors)}`);
        (runs[s.id] ??= []).push(r);
        const rps = r.requests / (r.durationUs / 1e6);
        console.error(
          `round ${round} ${s.id.padEnd(5)} ${Math.round(rps)} req/s, p99 ${(r.p99Us / 1000).toFixed(2)} ms, ${r.cpuUsPerReq} µs CPU/req, load ${r.loadavg}`,
        );
      } finally {
        if (p.proc !== null) await stop(p.proc);
      }
    }
  }
} finally {
  /* upstream is stopped after the cold-key measurement */
}

let cold: ColdResult | null = null;
if (only === undefined || only.includes('cold')) {
  const p = await startProxy({ id: 'cold', label: '', proxy: 'gateway', path: '' });
  try {
    cold = await measureColdKeys(p.port, 200);
  } finally {
    if (p.proc !== null) await stop(p.proc);
  }
}
await stop(up.proc);

/** Runs another bench script from source with tsx (it may import modules bench/run.sh does not transpile). */
function runScript(name: string, args: string[] = []): string | null {
  const file = join(benchDir, `${name}.ts`);
  if (!existsSync(file)) return null;
  try {
    return execFileSync(process.execPath, ['--import', 'tsx', file, ...args], {
      encoding: 'utf8',
      timeout: 120_000,
      cwd: resolve(benchDir, '..'),
    }).trim();
  } catch (err) {
    return `failed: ${(err as Error).message.split('\n')[0]}`;
  }
}
const pipelineCost = only === undefined ? runScript('pipeline-cost') : null;
const tokenBench = only === undefined ? runScript('token-bench') : null;
const metricsCost = only === undefined ? runScript('metrics-recording-cost') : null;

// ---- summary ----
interface Row {
  label: string;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  rpsRounds: number[];
  p99Rounds: number[];
  loadavgRounds: number[];
  ratio: number | null;
  p99DeltaMs: number | null;
  /** CPU per request of (a) ÷ this one's: the throughput ratio if each proxy had a core of its own. */
  cpuRatio: number | null;
}
const summary: Record<string, Row> = {};
for (const s of selected) {
  const rs = runs[s.id];
  if (rs === undefined) continue;
  const rpsRounds = rs.map((r) => Math.round(r.requests / (r.durationUs / 1e6)));
  const p99Rounds = rs.map((r) => r.p99Us / 1000);
  summary[s.id] = {
    label: s.label,
    rps: Math.round(median(rpsRounds)),
    p50Ms: median(rs.map((r) => r.p50Us / 1000)),
    p99Ms: median(p99Rounds),
    cpuUsPerReq: median(rs.map((r) => r.cpuUsPerReq ?? 0)),
    rpsRounds,
    p99Rounds,
    loadavgRounds: rs.map((r) => r.loadavg ?? 0),
    ratio: null,
    p99DeltaMs: null,
    cpuRatio: null,
  };
}
const ref = summary.a;
if (ref !== undefined) {
  for (const v of Object.values(summary)) {
    v.ratio = Math.round((v.rps / ref.rps) * 1000) / 1000;
    v.p99DeltaMs = Math.round((v.p99Ms - ref.p99Ms) * 100) / 100;
    v.cpuRatio = v.cpuUsPerReq > 0 ? Math.round((ref.cpuUsPerReq / v.cpuUsPerReq) * 1000) / 1000 : null;
  }
}
const goal = (id: string, p99: boolean) => {
  const v = summary[id];
  if (v === undefined || v.ratio === null || v.p99DeltaMs === null) return null;
  return v.ratio >= 0.9 && (!p99 || v.p99DeltaMs <= 1);
};
const goals = { c: goal('c', true), e: goal('e', false), f: goal('f', false) };

const pad = (t: string, n: number) => t.padEnd(n);
console.log(
  `\nwrk -t1 -c${CONNECTIONS} -d${SECONDS}s (after a ${WARMUP_SECONDS}s warm-up), ${ROUNDS} round(s), median; loopback, ${os.cpus().length} cores shared`,
);
console.log(
  `${pad('scenario', 44)} ${pad('req/s', 7)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('×(a)', 6)} ${pad('p99−(a)', 8)} ${pad('CPU µs/req', 10)} ${pad('CPU ×(a)', 8)} rounds req/s (load avg)`,
);
for (const v of Object.values(summary)) {
  const delta = v.p99DeltaMs === null ? '' : `${v.p99DeltaMs >= 0 ? '+' : ''}${v.p99DeltaMs.toFixed(2)}`;
  const rounds = v.rpsRounds.map((r, i) => `${r} (${v.loadavgRounds[i]})`).join(' / ');
  console.log(
    `${pad(v.label, 44)} ${pad(String(v.rps), 7)} ${pad(v.p50Ms.toFixed(2), 7)} ${pad(v.p99Ms.toFixed(2), 7)} ${pad(v.ratio?.toFixed(3) ?? '', 6)} ${pad(delta, 8)} ${pad(v.cpuUsPerReq.toFixed(1), 10)} ${pad(v.cpuRatio?.toFixed(3) ?? '', 8)} ${rounds}`,
  );
}
console.log(
  `goals: (c) ≥0.90×(a) and p99 ≤ (a)+1ms: ${goals.c}; (e) ≥0.90×(a): ${goals.e}; (f) ≥0.90×(a): ${goals.f}`,
);
if (cold) {
  console.log(
    `API key first use (n=${cold.n}, sequential, 1 connection): cold median ${cold.coldMedianMs.toFixed(3)} ms, cached median ${cold.warmMedianMs.toFixed(3)} ms → verification ≈ ${cold.deltaMedianMs.toFixed(3)} ms (p90 cold ${cold.coldP90Ms.toFixed(3)} ms)`,
  );
}
if (pipelineCost) console.log(pipelineCost);
if (tokenBench) console.log(tokenBench);
if (metricsCost) console.log(metricsCost);

mkdirSync(resultsDir, { recursive: true });
const wrkVersion = (() => {
  try {
    return execFileSync('/usr/bin/wrk', ['-v'], { encoding: 'utf8' }).split('\n')[0];
  } catch (err) {
    return String((err as { stdout?: string }).stdout ?? '').split('\n')[0];
  }
})();
writeFileSync(
  `${resultsDir}latest.json`,
  `${JSON.stringify(
    {
      at: new Date().toISOString(),
      machine: {
        cpus: os.cpus().length,
        model: os.cpus()[0]?.model,
        node: process.version,
        wrk: wrkVersion,
        memMb: Math.round(os.totalmem() / 2 ** 20),
      },
      method: {
        tool: 'wrk',
        threads: 1,
        connections: CONNECTIONS,
        seconds: SECONDS,
        warmupSeconds: WARMUP_SECONDS,
        rounds: ROUNDS,
        stat: 'median of rounds',
      },
      summary,
      goals,
      coldApiKey: cold,
      pipelineCost,
      tokenBench,
      metricsCost,
      raw: runs,
    },
    null,
    2,
  )}\n`,
);
console.log('\nwrote bench/results/latest.json');
