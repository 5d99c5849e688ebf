import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { UsageBatch } from '../../core/index.js';
import type { UsageBuffer } from '../analytics/usage-buffer.js';

/**
 * Where a flush goes: resolves when the batch is stored (or was stored before under the same `flushId`), rejects
 * to have it retried. All-in-one: the control plane's store directly; scaled out: `POST /internal/data/v1/usage`.
 */
export type UsageSink = (batch: UsageBatch) => Promise<void>;

export interface UsageFlusherOptions {
  buffer: UsageBuffer;
  sink: UsageSink;
  intervalMs: number;
  logger: Logger;
}

/** What the flusher did so far (health and metrics). */
export interface UsageFlusherStatus {
  /** Aggregates stored. */
  readonly flushedAggregates: number;
  /** Flushes that failed and were kept for a retry. */
  readonly failedFlushes: number;
  /** A batch is waiting to be retried. */
  readonly pending: boolean;
}

export interface UsageFlusher {
  /** Sends what is buffered now (or the batch waiting for a retry first); never throws. */
  flush(): Promise<void>;
  status(): UsageFlusherStatus;
  /** Stops the timer and tries one last flush. */
  stop(): Promise<void>;
}

/**
 * Flushes the usage buffer in the background every `intervalMs`. A failed batch is kept, with its flush id, and
 * resent before anything newer, so a flush the store applied but whose answer was lost is not counted twice;
 * while it waits, new requests accumulate in the (bounded) buffer, which drops and counts when full. At most one
 * batch is ever waiting, so memory stays bounded by the buffer's size twice.
 * @example const flusher = startUsageFlusher({ buffer, sink, intervalMs: 10_000, logger });
 */
export function startUsageFlusher(opts: UsageFlusherOptions): UsageFlusher {
  const { buffer, sink, logger } = opts;
  let pending: UsageBatch | null = null;
  let flushed = 0;
  let failed = 0;
  let failing = false;
  let chain: Promise<void> = Promise.resolve();

  const once = async (): Promise<void> => {
    if (pending === null) {
      const aggregates = buffer.drain();
      if (aggregates.length === 0) return;
      pending = { flushId: randomUUID(), aggregates };
    }
    const batch = pending;
    try {
      await sink(batch);
      pending = null;
      flushed += batch.aggregates.length;
      if (failing) logger.info('usage analytics flushes succeed again');
      failing = false;
    } catch (err) {
      failed++;
      if (!failing)
        logger.warn(
          { err: (err as Error).message, aggregates: batch.aggregates.length },
          'usage analytics flush failed; the batch is kept and retried',
        );
      failing = true;
    }
  };
  const flush = (): Promise<void> => {
    chain = chain.then(once, once);
    return chain;
  };
  const timer = setInterval(() => void flush(), opts.intervalMs);
  timer.unref();
  return {
    flush,
    status: () => ({ flushedAggregates: flushed, failedFlushes: failed, pending: pending !== null }),
    async stop() {
      clearInterval(timer);
      await flush();
      // A batch kept from the first try and what arrived since: one more attempt each.
      if (pending !== null || buffer.size > 0) await flush();
    },
  };
}

/** Aggregates per `POST /internal/data/v1/usage` (the control plane accepts up to 20 000). */
const SINK_PART = 5000;

/**
 * The sink of a scaled-out gateway: `POST /internal/data/v1/usage` on the control planes (with failover). A 4xx
 * answer means the batch can never be stored: it is dropped and logged rather than retried forever.
 */
export function controlPlaneUsageSink(
  client: { call<T>(method: 'POST', path: string, body: unknown): Promise<{ status: number; body: T }> },
  logger: Logger,
): UsageSink {
  return async (batch) => {
    // In parts the control plane accepts, each under an id of its own derived from the batch's (stable on retry).
    for (let i = 0, part = 0; i < batch.aggregates.length; i += SINK_PART, part++) {
      const aggregates = batch.aggregates.slice(i, i + SINK_PART);
      const r = await client.call<unknown>('POST', '/internal/data/v1/usage', {
        flushId: `${batch.flushId}-${part}`,
        aggregates,
      });
      if (r.status !== 200)
        logger.error(
          { status: r.status, aggregates: aggregates.length },
          'usage analytics batch refused by the control plane; dropped',
        );
    }
  };
}
