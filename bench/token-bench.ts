/**
 * Token endpoint throughput: client_credentials tokens/s through the real HTTP endpoint (Fastify on 127.0.0.1,
 * SQLite store; an undici Pool with CONCURRENCY requests in flight, in a worker thread: token-bench-client.mjs)
 * versus raw jose RS256 signing of the same claims with the same concurrency, in the same run. Prints one JSON
 * line. Goal: endpoint ≥ 70 % of raw signing.
 *
 * The two loads alternate for ROUNDS rounds and the medians are compared, so a noisy neighbour on a shared machine
 * hits both sides alike. The endpoint's CPU per token includes the load generator's thread (in production the
 * clients are other machines); `clientCpuMsPerToken` is that thread's share (Linux), and `serverCpuRatio` compares
 * raw signing with the rest (server and signing threads).
 *
 *   npx tsx bench/token-bench.ts            # DURATION_S=5 CONCURRENCY=32 ROUNDS=3 by default
 *   FLOOR=1 npx tsx bench/token-bench.ts    # also a bare Fastify route signing the same claims (the HTTP floor)
 */
import { cpus } from 'node:os';
import type { AddressInfo } from 'node:net';
import { importPKCS8 } from 'jose';
import { Worker } from 'node:worker_threads';
import { basic } from '../test/support/control-plane-harness.js';
import { tokenBenchFixture } from './token-bench-fixture.js';
import { signBenchToken, startTokenFloor } from './token-floor-server.js';

const DURATION_MS = Number(process.env.DURATION_S ?? 5) * 1000;
const CONCURRENCY = Number(process.env.CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
/** FLOOR=1: also load a bare Fastify token route (token-floor-server.ts) to split HTTP's cost from Portico's. */
const FLOOR = process.env.FLOOR === '1';

async function forDuration(
  op: () => Promise<boolean>,
): Promise<{ ok: number; failed: number; perSecond: number; cpuMsPerOp: number }> {
  const cpu0 = process.cpuUsage();
  let ok = 0;
  let failed = 0;
  const start = performance.now();
  const end = start + DURATION_MS;
  const worker = async () => {
    while (performance.now() < end) {
      if (await op()) ok++;
      else failed++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - start) / 1000;
  // Process CPU (all threads: event loop and crypto thread pool) per operation: a load-independent cost figure.
  const cpu = process.cpuUsage(cpu0);
  const cpuMsPerOp = Number(((cpu.user + cpu.system) / 1000 / Math.max(ok, 1)).toFixed(3));
  return { ok, failed, perSecond: Math.round(ok / seconds), cpuMsPerOp };
}

const { h, consumerKey, consumerSecret } = await tokenBenchFixture();
await h.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = h.app.server.address() as AddressInfo;

const authorization = basic(consumerKey, consumerSecret);
/** One endpoint round: the load runs in a worker; process CPU (all threads) is measured after its warm-up. */
const endpointRound = (origin: string) =>
  new Promise<{ perSecond: number; failed: number; cpuMsPerOp: number; clientCpuMsPerOp: number | null }>(
    (resolve, reject) => {
      let cpu0 = process.cpuUsage();
      const worker = new Worker(new URL('./token-bench-client.mjs', import.meta.url), {
        workerData: {
          origin,
          authorization,
          concurrency: CONCURRENCY,
          durationMs: DURATION_MS,
          warmup: 200,
        },
      });
      worker.once('error', reject);
      worker.on(
        'message',
        (
          m:
            | { type: 'start' }
            | { type: 'done'; ok: number; failed: number; seconds: number; clientCpuMs: number | null },
        ) => {
          if (m.type === 'start') {
            cpu0 = process.cpuUsage();
            return;
          }
          const cpu = process.cpuUsage(cpu0);
          resolve({
            perSecond: Math.round(m.ok / m.seconds),
            failed: m.failed,
            cpuMsPerOp: Number(((cpu.user + cpu.system) / 1000 / Math.max(m.ok, 1)).toFixed(3)),
            clientCpuMsPerOp:
              m.clientCpuMs === null ? null : Number((m.clientCpuMs / Math.max(m.ok, 1)).toFixed(3)),
          });
          void worker.terminate();
        },
      );
    },
  );

const jwk = h.primaryKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const key = await importPKCS8(jwk, 'RS256');
const rawSign = async () => {
  await signBenchToken(key, consumerKey, h.ctx.urls.issuer);
  return true;
};
for (let i = 0; i < 200; i++) await rawSign();
const floor = FLOOR ? await startTokenFloor(key, h.ctx.urls.issuer) : null;
const floorRounds: number[] = [];
const floorCpu: number[] = [];

const endpointRounds: number[] = [];
const rawRounds: number[] = [];
const endpointCpu: number[] = [];
const clientCpu: number[] = [];
const rawCpu: number[] = [];
let failed = 0;
for (let r = 0; r < ROUNDS; r++) {
  const e = await endpointRound(`http://127.0.0.1:${port}`);
  failed += e.failed;
  endpointRounds.push(e.perSecond);
  endpointCpu.push(e.cpuMsPerOp);
  if (e.clientCpuMsPerOp !== null) clientCpu.push(e.clientCpuMsPerOp);
  const r2 = await forDuration(rawSign);
  rawRounds.push(r2.perSecond);
  rawCpu.push(r2.cpuMsPerOp);
  if (floor !== null) {
    const f = await endpointRound(floor.origin);
    failed += f.failed;
    floorRounds.push(f.perSecond);
    floorCpu.push(f.cpuMsPerOp);
  }
}
await floor?.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const endpoint = median(endpointRounds);
const raw = median(rawRounds);

await h.close();
console.log(
  JSON.stringify({
    bench: 'token-client-credentials',
    cpus: cpus().length,
    node: process.version,
    durationS: DURATION_MS / 1000,
    concurrency: CONCURRENCY,
    rounds: ROUNDS,
    endpointTokensPerS: endpoint,
    endpointFailed: failed,
    rawJoseSignsPerS: raw,
    endpointRounds,
    rawRounds,
    ratio: Number((endpoint / raw).toFixed(3)),
    endpointCpuMsPerToken: median(endpointCpu),
    rawCpuMsPerSign: median(rawCpu),
    cpuRatio: Number((median(rawCpu) / median(endpointCpu)).toFixed(3)),
    clientCpuMsPerToken: clientCpu.length ? median(clientCpu) : null,
    serverCpuRatio: clientCpu.length
      ? Number((median(rawCpu) / (median(endpointCpu) - median(clientCpu))).toFixed(3))
      : null,
    ...(floor === null
      ? {}
      : {
          floorTokensPerS: median(floorRounds),
          floorRounds,
          floorRatio: Number((median(floorRounds) / raw).toFixed(3)),
          floorCpuMsPerToken: median(floorCpu),
          endpointToFloor: Number((endpoint / median(floorRounds)).toFixed(3)),
        }),
    goal: 0.7,
  }),
);
