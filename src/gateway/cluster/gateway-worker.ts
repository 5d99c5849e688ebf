/**
 * Entry point of a gateway worker process (forked by {@link startGatewayWorkers} through node:cluster): waits for
 * `init`, builds its own index from the primary's `snapshot` messages and follows its `changes` batches, listens on the shared ports once
 * the first snapshot is loaded, batches API-key usage back to the primary, and exits on `stop`.
 */
import cluster from 'node:cluster';
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { systemClock } from '../../core/index.js';
import { createGateway } from '../create-gateway.js';
import { LeaseCounter } from '../handlers/throttling/lease-counter.js';
import { UsageBuffer } from '../analytics/usage-buffer.js';
import { IpcPermitSource } from './ipc-permit-source.js';
import { IpcSnapshotSource } from './ipc-snapshot-source.js';
import {
  deserializeSettings,
  type FromWorker,
  type ToWorker,
  type WorkerListener,
  type WorkerMetricsJson,
} from './worker-protocol.js';

const USAGE_FLUSH_MS = 1000;

if (!cluster.isWorker || process.send === undefined) {
  throw new Error('gateway-worker: must be started by startGatewayWorkers');
}
const send = (m: FromWorker): void => {
  if (process.connected) process.send!(m);
};
const source = new IpcSnapshotSource(() => send({ t: 'resync' }));
const permits = new IpcPermitSource(send);
let stop: ((timeoutMs: number) => Promise<void>) | null = null;
let registry: { getMetricsAsJSON(): Promise<unknown> } | null = null;
const metricsWaiting = new Map<number, (text: string) => void>();
let nextMetricsId = 1;
/** The sum over every worker, from the primary (one scrape of any worker answers for the whole gateway). */
const clusterMetrics = (): Promise<string> =>
  new Promise((resolve, reject) => {
    const id = nextMetricsId++;
    const timer = setTimeout(() => {
      metricsWaiting.delete(id);
      reject(new Error('metrics: no answer from the primary'));
    }, 5000);
    timer.unref();
    metricsWaiting.set(id, (text) => {
      clearTimeout(timer);
      metricsWaiting.delete(id);
      if (text === '') reject(new Error('metrics: aggregation failed'));
      else resolve(text);
    });
    send({ t: 'metricsRequest', id });
  });

process.on('message', (m: ToWorker) => {
  if (m.t === 'snapshot') source.push(m.snapshot);
  else if (m.t === 'changes') source.pushChanges(m.batch);
  else if (m.t === 'permitGrant') permits.answer(m.id, m.grant);
  else if (m.t === 'init') void start(m).catch((err: unknown) => fail(err));
  else if (m.t === 'metricsText') metricsWaiting.get(m.id)?.(m.text);
  else if (m.t === 'metricsCollect') {
    void (registry?.getMetricsAsJSON() ?? Promise.resolve([])).then((metrics) =>
      send({ t: 'metricsJson', id: m.id, metrics: metrics as WorkerMetricsJson }),
    );
  } else if (m.t === 'stop')
    void (stop ?? (async () => undefined))(m.timeoutMs).finally(() => process.exit(0));
});
send({ t: 'hello' });
// The primary went away: nothing can feed snapshots any more.
process.on('disconnect', () => process.exit(0));

function fail(err: unknown): void {
  send({ t: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
  setImmediate(() => process.exit(1));
}

async function start(init: Extract<ToWorker, { t: 'init' }>): Promise<void> {
  const logger = pino({ level: init.logLevel, base: { pid: process.pid, worker: cluster.worker?.id } });
  const used = new Map<string, number>();
  const usage = init.usageBufferSize ? new UsageBuffer(init.usageBufferSize) : null;
  let droppedSent = 0;
  const flush = (): void => {
    if (usage !== null && (usage.size > 0 || usage.dropped > droppedSent)) {
      send({ t: 'usage', aggregates: usage.drain(), dropped: usage.dropped - droppedSent });
      droppedSent = usage.dropped;
    }
    if (used.size === 0) return;
    send({ t: 'apiKeyUsed', used: [...used] });
    used.clear();
  };
  const timer = setInterval(flush, USAGE_FLUSH_MS);
  timer.unref();
  // Quotas are shared with the other workers (and gateways): permits are leased from the primary.
  const counter = new LeaseCounter({
    source: permits,
    holders: init.quotaHolders,
    logger: logger.child({ component: 'throttling' }),
  });
  const gateway = createGateway({
    counter,
    snapshotSource: source,
    clock: systemClock,
    logger: logger.child({ component: 'gateway' }),
    settings: deserializeSettings(init.settings),
    version: init.version,
    onApiKeyUsed: (jti, at) => void used.set(jti, at),
    onUnknownKid: (keyManager) => send({ t: 'unknownKid', keyManager }),
    ...(init.apiKeyHashSecret ? { apiKeyHashSecret: Buffer.from(init.apiKeyHashSecret, 'base64') } : {}),
    ...(init.apiKeySigningAlias === undefined ? {} : { apiKeySigningAlias: init.apiKeySigningAlias }),
    metricsText: clusterMetrics,
    ...(usage ? { usage } : {}),
  });
  registry = gateway.metrics?.registry ?? null;
  await gateway.ready();
  const servers = await Promise.all(init.listeners.map((l) => listen(l, gateway.handle)));
  stop = async (timeoutMs) => {
    const closed = Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    for (const s of servers) s.closeIdleConnections();
    const timeout = new Promise((r) => setTimeout(r, timeoutMs).unref());
    await Promise.race([closed, timeout]);
    for (const s of servers) s.closeAllConnections();
    flush();
    await gateway.close();
    counter.close();
  };
  send({ t: 'listening', ports: servers.map((s) => (s.address() as AddressInfo).port) });
}

async function listen(l: WorkerListener, handler: http.RequestListener): Promise<http.Server> {
  const server = l.tls
    ? https.createServer({ key: l.tls.key, cert: l.tls.cert }, handler)
    : http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  // `::` (the default) omitted: dual-stack where the host has IPv6, IPv4 where it has not (as the primary does).
  server.listen(l.port, l.host === '::' ? undefined : l.host);
  // once() rejects on 'error' (e.g. EADDRINUSE), which fails the worker's start.
  await once(server, 'listening');
  return server;
}
