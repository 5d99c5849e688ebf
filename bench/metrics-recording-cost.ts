/**
 * CPU cost of the gateway's per-request metrics recording alone, without sockets:
 * `npx tsx bench/metrics-recording-cost.ts [iterations=2000000]`. Records what one proxied request records
 * (`forwarded` + `settled`, three `performance.now()` reads) and what one refused request records (`fault`), and
 * prints nanoseconds per request; compare with the CPU per request of scenario (c) in `npm run bench`.
 */
import { gatewayFaults } from '../src/core/index.js';
import { GatewayMetrics } from '../src/gateway/metrics/gateway-metrics.js';
import type { CompiledApi } from '../src/gateway/pipeline/handler.js';

const n = Number(process.argv[2] ?? 2_000_000);
const metrics = new GatewayMetrics({
  snapshot: { version: () => 1, ageMs: () => 0, lag: () => 0 },
  caches: {},
  processMetrics: false,
});
const apis = [1, 2, 3, 4].map(
  (i) => ({ api: { name: `api${i}`, version: '1.0.0' } }) as unknown as CompiledApi,
);
const fault = gatewayFaults.invalidCredentials('bench');

function proxied(api: CompiledApi): void {
  const startedAt = performance.now();
  const forwardedAt = performance.now();
  metrics.forwarded(api, startedAt, forwardedAt);
  metrics.settled(api, 200, null, forwardedAt, performance.now());
}
function refused(api: CompiledApi): void {
  const startedAt = performance.now();
  metrics.fault(api, fault, startedAt, performance.now());
}
function baseline(): number {
  return performance.now() - performance.now() + performance.now();
}

function time(f: (i: number) => void, iterations: number): number {
  for (let i = 0; i < 50_000; i++) f(i);
  const t = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) f(i);
  return Number(process.hrtime.bigint() - t) / iterations;
}

let sink = 0;
const clock = time(() => (sink += baseline()), n);
const ok = time((i) => proxied(apis[i & 3]!), n);
const bad = time((i) => refused(apis[i & 3]!), n);
console.log(
  `metrics recording: proxied request ${ok.toFixed(0)} ns (of which 3 clock reads ≈ ${clock.toFixed(0)} ns), ` +
    `refused request ${bad.toFixed(0)} ns${sink === 0.5 ? ' ' : ''}`,
);
