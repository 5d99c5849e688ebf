// Load generator of bench/token-bench.ts, run in a worker thread so the HTTP client does not share the server's
// event loop (in production the clients are other machines). Plain JS: Node 20 workers do not get tsx's hooks.
// Posts `{type: 'start'}` after the warm-up and `{type: 'done', ok, failed, seconds, clientCpuMs}` at the end;
// clientCpuMs is this thread's own CPU time (Linux /proc/thread-self/schedstat; null elsewhere).
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { Pool } from 'undici';

const job = workerData;
const pool = new Pool(job.origin, { connections: job.concurrency, pipelining: 1 });
const headers = { 'content-type': 'application/x-www-form-urlencoded', authorization: job.authorization };
const once = async () => {
  const res = await pool.request({
    method: 'POST',
    path: '/oauth2/token',
    headers,
    body: 'grant_type=client_credentials',
  });
  await res.body.text();
  return res.statusCode === 200;
};

for (let i = 0; i < job.warmup; i++) await once();
const threadCpuMs = () => {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return null;
  }
};
parentPort?.postMessage({ type: 'start' });
const cpuStart = threadCpuMs();
let ok = 0;
let failed = 0;
const start = performance.now();
const end = start + job.durationMs;
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    while (performance.now() < end) {
      if (await once()) ok++;
      else failed++;
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
await pool.close();
const cpuEnd = threadCpuMs();
const clientCpuMs = cpuStart === null || cpuEnd === null ? null : cpuEnd - cpuStart;
parentPort?.postMessage({ type: 'done', ok, failed, seconds, clientCpuMs });
