/**
 * CPU profile of the token endpoint's process under load (main thread only, the load generator in its worker
 * thread as in token-bench.ts): starts the inspector's sampling profiler after the warm-up, stops it when the load
 * ends, and writes bench/results/prof/token-endpoint.cpuprofile (read it with bench/top-frames.ts).
 *
 *   npx tsx bench/prof-token-endpoint.ts      # DURATION_S=6 CONCURRENCY=32
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import type { AddressInfo } from 'node:net';
import { Worker } from 'node:worker_threads';
import { basic } from '../test/support/control-plane-harness.js';
import { tokenBenchFixture } from './token-bench-fixture.js';

const { h, consumerKey, consumerSecret } = await tokenBenchFixture();
await h.app.listen({ port: 0, host: '127.0.0.1' });
const { port } = h.app.server.address() as AddressInfo;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
const done = new Promise<{ ok: number; seconds: number }>((resolve, reject) => {
  const worker = new Worker(new URL('./token-bench-client.mjs', import.meta.url), {
    workerData: {
      origin: `http://127.0.0.1:${port}`,
      authorization: basic(consumerKey, consumerSecret),
      concurrency: Number(process.env.CONCURRENCY ?? 32),
      durationMs: Number(process.env.DURATION_S ?? 6) * 1000,
      warmup: 500,
    },
  });
  worker.once('error', reject);
  worker.on('message', (m: { type: string; ok: number; seconds: number }) => {
    if (m.type === 'start') void session.post('Profiler.start');
    else resolve(m);
  });
});
const result = await done;
const { profile } = await session.post('Profiler.stop');
const dir = new URL('./results/prof/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('token-endpoint.cpuprofile', dir), JSON.stringify(profile));
await h.close();
console.log(
  JSON.stringify({ bench: 'prof-token-endpoint', tokensPerS: Math.round(result.ok / result.seconds) }),
);
