import cluster, { type Worker } from 'node:cluster';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from 'pino';
import { Counter, Registry } from 'prom-client';
import type { Snapshot, SnapshotSource } from '../../core/index.js';
import { LocalPermitStore } from '../background/local-permit-store.js';
import type { GatewaySettings } from '../gateway-options.js';
import type { PermitSource } from '../handlers/throttling/permit-source.js';
import type { UsageBuffer } from '../analytics/usage-buffer.js';
import { WorkerMetricsCollector } from './worker-metrics.js';
import { serializeSettings, type FromWorker, type ToWorker, type WorkerListener } from './worker-protocol.js';

/** What {@link startGatewayWorkers} needs. */
export interface GatewayWorkersOptions {
  /** Number of worker processes (≥ 1). */
  workers: number;
  /**
   * Followed in the primary: every snapshot, and every delta batch when the source offers them, is sent to every
   * worker as JSON over IPC; a worker that sees a gap gets `current()`.
   */
  snapshotSource: SnapshotSource;
  /** Gateway settings; the backend JWT key is passed to workers as PEM over IPC. */
  settings: GatewaySettings;
  logger: Logger;
  /** Portico version reported by `/health`. */
  version: string;
  /** Servers every worker opens (shared through node:cluster). TLS keys travel over IPC only. */
  listeners: readonly WorkerListener[];
  /** Called in the primary with each worker's batched API-key usage (about once a second per worker). */
  onApiKeyUsed?: (jti: string, at: number) => void;
  onUnknownKid?: (keyManagerName: string) => void;
  /**
   * Where the workers' quota leases come from (the primary answers them over IPC). Default: an exact in-memory
   * store, so the workers of one gateway share every quota without Redis.
   */
  permits?: PermitSource;
  /** Gateways sharing each quota (`[apim.gateway] expected_gateways`, default 1); sizes the leases. */
  expectedGateways?: number;
  /** Passed to every worker over IPC (see `GatewayOptions.apiKeyHashSecret`). */
  apiKeyHashSecret?: Buffer;
  /** Passed to every worker, whose `/health` warns while the served trust store lacks it (`GatewayOptions`). */
  apiKeySigningAlias?: string;
  /** Usage analytics on: every worker counts its own answers and sends its aggregates here about once a second. */
  usage?: UsageBuffer;
}

/** Running gateway workers. */
export interface GatewayWorkers {
  /** Ports of `listeners`, in order (resolved when a listener asked for port 0). */
  readonly ports: readonly number[];
  /** Stops following snapshots and stops every worker (in-flight requests get up to `timeoutMs`). */
  close(timeoutMs?: number): Promise<void>;
}

const RESPAWN_DELAY_MS = 1000;

/**
 * Forks `workers` gateway processes with node:cluster (architecture.md §7) and resolves once every one of them has
 * loaded the first snapshot and is listening. A worker that dies is replaced after a second. Must be called at
 * most once per process (node:cluster settings are global). Faults: rejects when a worker fails to start (bad
 * settings, port in use), after stopping the others.
 *
 * @example
 * const workers = await startGatewayWorkers({ workers: 2, snapshotSource, settings, logger, version,
 *   listeners: [{ host: '0.0.0.0', port: 8243, tls: { key, cert } }, { host: '0.0.0.0', port: 8280 }] });
 */
export async function startGatewayWorkers(opts: GatewayWorkersOptions): Promise<GatewayWorkers> {
  if (!cluster.isPrimary) throw new Error('startGatewayWorkers: call it from the primary process');
  const count = Math.max(1, Math.floor(opts.workers));
  const { logger } = opts;
  const here = fileURLToPath(import.meta.url);
  // Next to this module, with its extension: `.ts` under tsx, `.js` once built.
  cluster.setupPrimary({
    exec: here.replace(/start-gateway-workers(\.[cm]?[jt]s)$/, `gateway-worker${extname(here)}`),
  });

  const init: ToWorker = {
    t: 'init',
    settings: serializeSettings(opts.settings),
    listeners: opts.listeners,
    version: opts.version,
    logLevel: logger.level,
    quotaHolders: Math.max(1, Math.floor(opts.expectedGateways ?? 1)) * count,
    ...(opts.apiKeyHashSecret ? { apiKeyHashSecret: opts.apiKeyHashSecret.toString('base64') } : {}),
    ...(opts.apiKeySigningAlias === undefined ? {} : { apiKeySigningAlias: opts.apiKeySigningAlias }),
    ...(opts.usage ? { usageBufferSize: opts.usage.maxCells } : {}),
  };
  const permits = opts.permits ?? new LocalPermitStore();
  let latest: Snapshot | null = null;
  let closing = false;
  const workers = new Set<Worker>();
  const greeted = new Set<Worker>();
  const sendTo = (w: Worker, m: ToWorker): void => {
    if (w.isConnected()) w.send(m);
  };

  /** The source's current snapshot to one worker (a new one, or one that saw a gap in the batches). */
  const sendFresh = (w: Worker): void => {
    opts.snapshotSource.current().then(
      (s) => {
        if (latest === null || s.version >= latest.version) latest = s;
        if (greeted.has(w)) sendTo(w, { t: 'snapshot', snapshot: latest });
      },
      (err: unknown) => logger.error({ err, worker: w.id }, 'gateway: no snapshot for a worker'),
    );
  };

  // What only the primary counts, added to every aggregated scrape.
  const primaryMetrics = new Registry();
  const mergeDropped = opts.usage
    ? new Counter({
        name: 'portico_gateway_usage_merge_dropped_total',
        help: "Requests in the workers' usage aggregates the gateway primary dropped because its own buffer was full, since start.",
        registers: [primaryMetrics],
      })
    : null;
  const metrics = new WorkerMetricsCollector(() => greeted, sendTo, primaryMetrics);

  let ports: readonly number[] = [];
  let pending = count;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const started = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));

  const spawn = (): void => {
    const w = cluster.fork();
    workers.add(w);
    let listening = false;
    w.on('message', (m: FromWorker) => {
      if (m.t === 'hello') {
        // Only now is the worker's message handler installed; earlier messages could be lost.
        greeted.add(w);
        sendTo(w, init);
        if (latest !== null) sendFresh(w);
      } else if (m.t === 'resync') {
        sendFresh(w);
      } else if (m.t === 'listening') {
        listening = true;
        ports = m.ports;
        if (--pending === 0) settle.resolve();
      } else if (m.t === 'apiKeyUsed') {
        for (const [jti, at] of m.used) opts.onApiKeyUsed?.(jti, at);
      } else if (m.t === 'usage') {
        const lost = opts.usage?.merge(m.aggregates) ?? 0;
        if (lost > 0) mergeDropped?.inc(lost);
        if (m.dropped > 0 && opts.usage) opts.usage.dropped += m.dropped;
      } else if (m.t === 'permitAcquire') {
        permits.acquire(m.req).then(
          (grant) => sendTo(w, { t: 'permitGrant', id: m.id, grant }),
          (err: unknown) => {
            logger.debug({ err }, 'gateway: permit lease failed');
            sendTo(w, { t: 'permitGrant', id: m.id, grant: null });
          },
        );
      } else if (m.t === 'permitRelease') {
        permits.release(m.key, m.windowStart, m.windowMs, m.count);
      } else if (m.t === 'metricsRequest') {
        metrics.collect().then(
          (text) => sendTo(w, { t: 'metricsText', id: m.id, text }),
          (err: unknown) => {
            logger.warn({ err }, 'gateway: metrics aggregation failed');
            sendTo(w, { t: 'metricsText', id: m.id, text: '' });
          },
        );
      } else if (m.t === 'metricsJson') {
        metrics.answer(m.id, m.metrics);
      } else if (m.t === 'unknownKid') {
        opts.onUnknownKid?.(m.keyManager);
      } else if (m.t === 'failed') {
        logger.error({ worker: w.id, reason: m.message }, 'gateway: worker failed to start');
        if (!listening) settle.reject(new Error(`gateway worker failed to start: ${m.message}`));
      }
    });
    w.on('exit', (code, signal) => {
      workers.delete(w);
      greeted.delete(w);
      if (closing) return;
      logger.error({ worker: w.id, code, signal }, 'gateway: worker exited, starting a new one');
      if (listening) setTimeout(() => closing || spawn(), RESPAWN_DELAY_MS).unref();
      else settle.reject(new Error(`gateway worker exited with ${code ?? signal} before listening`));
    });
  };

  const unsubscribe = opts.snapshotSource.subscribe((s) => {
    latest = s;
    for (const w of greeted) sendTo(w, { t: 'snapshot', snapshot: s });
  });
  // Batches go to every worker as they are relayed; a worker that misses one (it started later) asks to resync.
  const unsubscribeChanges = opts.snapshotSource.subscribeChanges?.((batch) => {
    for (const w of greeted) sendTo(w, { t: 'changes', batch });
  });
  const close = async (timeoutMs = 10_000): Promise<void> => {
    if (closing) return;
    closing = true;
    unsubscribe();
    unsubscribeChanges?.();
    await Promise.all(
      [...workers].map(async (w) => {
        const exited = new Promise((r) => w.once('exit', r));
        if (greeted.has(w)) sendTo(w, { t: 'stop', timeoutMs });
        else w.process.kill('SIGTERM');
        const killer = setTimeout(() => w.process.kill('SIGKILL'), timeoutMs + 2000);
        await exited;
        clearTimeout(killer);
      }),
    );
  };

  for (let i = 0; i < count; i++) spawn();
  try {
    const first = await opts.snapshotSource.current();
    const seen = latest as Snapshot | null; // may have been set by the subscription meanwhile
    if (seen === null || first.version > seen.version) {
      latest = first;
      for (const w of greeted) sendTo(w, { t: 'snapshot', snapshot: first });
    }
    await started;
  } catch (err) {
    await close(0);
    throw err;
  }
  logger.info({ workers: count, ports }, 'gateway: workers serving');
  return {
    get ports() {
      return ports;
    },
    close,
  };
}
