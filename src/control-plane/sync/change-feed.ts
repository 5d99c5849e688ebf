import type { Logger } from 'pino';
import type { Clock, DeltaBatch } from '../../core/index.js';
import type { EventBus } from '../../events/index.js';
import { changesRepository, type Store } from '../../store/index.js';
import type { SnapshotExtras } from '../snapshot/build-snapshot.js';
import type { ChangeLog } from '../../store/index.js';
import { resolveDeltas } from './resolve-deltas.js';

/** Most changes resolved per batch (a gateway far behind pages through the log). */
export const MAX_BATCH = 500;

/** A page of the change log for a gateway that asked for the changes after `after`. */
export type ChangePage =
  (DeltaBatch & { readonly head: number }) | { readonly gone: true; readonly head: number };

/**
 * The relay of the transactional outbox: follows the change log, resolves each committed change into the delta
 * gateways apply, hands batches to local listeners (the in-process gateway) and publishes them on the bus
 * (Redis, when scaled out) in the background. It follows the log, not the writes: a change another control plane
 * committed, or one committed just before a crash, is relayed by the next poll. Publishing never blocks a write,
 * and a failed publish is only latency: gateways also pull `changesAfter` (`GET /internal/data/v1/changes`).
 */
export interface ChangeFeed {
  /** Newest version relayed so far. */
  head(): number;
  /** Newest version committed to the log (by any control plane), relayed or not. */
  committedHead(): Promise<number>;
  /** The log after `after` as deltas (at most {@link MAX_BATCH}), or `gone` when it no longer reaches back. */
  changesAfter(after: number, limit?: number): Promise<ChangePage>;
  /** Called with every batch, in order; returns an unsubscribe function. */
  subscribe(listener: (batch: DeltaBatch) => void): () => void;
  /** Relays what is new now (also called after each local commit and on every poll). */
  pump(): Promise<void>;
  close(): void;
}

export interface ChangeFeedOptions {
  store: Store;
  changeLog: ChangeLog;
  extras: SnapshotExtras;
  clock: Clock;
  logger: Logger;
  /** Publishes batches to other processes (the Redis bus); omitted in all-in-one mode. */
  bus?: EventBus;
  /** How often the log is polled for changes of other control planes. */
  pollIntervalMs: number;
}

/**
 * Starts the feed at the log's current head (what is already committed is in the snapshot a gateway loads).
 * @example const feed = await startChangeFeed({ store, changeLog, extras, clock, logger, bus, pollIntervalMs: 1000 });
 */
export async function startChangeFeed(opts: ChangeFeedOptions): Promise<ChangeFeed> {
  const { store, logger } = opts;
  const log = changesRepository(store, store.dialect);
  const listeners = new Set<(batch: DeltaBatch) => void>();
  let cursor = await log.head();
  let running: Promise<void> | null = null;
  let again = false;
  let closed = false;
  let publishFailing = false;

  const page = async (after: number, limit: number): Promise<DeltaBatch | null> => {
    const rows = await log.after(after, limit);
    if (rows.length === 0) return null;
    const deltas = await resolveDeltas(store, opts.extras, rows, opts.clock.now());
    return { from: after + 1, to: rows[rows.length - 1]!.version, deltas };
  };

  const publish = (batch: DeltaBatch): void => {
    if (!opts.bus) return;
    opts.bus
      .publish({ type: 'changes', version: batch.to, at: opts.clock.now(), payload: { ...batch } })
      .then(() => {
        if (publishFailing) logger.info({ version: batch.to }, 'change feed: publishing again');
        publishFailing = false;
      })
      .catch((err: unknown) => {
        // Gateways poll the log, so a lost publication costs latency, not correctness. Say so once.
        if (!publishFailing) {
          logger.warn(
            { err: (err as Error).message, version: batch.to },
            'change feed: cannot publish; gateways converge by polling',
          );
        }
        publishFailing = true;
      });
  };

  const drain = async (): Promise<void> => {
    for (;;) {
      const batch = await page(cursor, MAX_BATCH);
      if (batch === null) return;
      cursor = batch.to;
      for (const l of listeners) {
        try {
          l(batch);
        } catch (err) {
          logger.error({ err }, 'change feed: a listener failed');
        }
      }
      publish(batch);
    }
  };

  const pump = (): Promise<void> => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      try {
        do {
          again = false;
          await drain();
        } while (again && !closed);
      } catch (err) {
        logger.error({ err }, 'change feed: cannot read the change log; retrying on the next poll');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const offCommit = opts.changeLog.onCommitted(() => void pump());
  const offBus = opts.bus?.subscribe((event) => {
    if (event.type === 'changes' && Number(event.payload.to) > cursor) void pump();
  });
  const timer = setInterval(() => void pump(), opts.pollIntervalMs);
  timer.unref();

  return {
    head: () => cursor,
    committedHead: () => log.head(),
    async changesAfter(after, limit = MAX_BATCH) {
      const oldest = await log.oldest();
      const head = await log.head();
      // Behind the oldest kept change (a pruned log), or ahead of the log (a store restored from a backup, another
      // deployment): only a full snapshot is right.
      if ((oldest !== null && after < oldest - 1) || after > head) return { gone: true, head };
      const batch = await page(after, Math.min(Math.max(limit, 1), MAX_BATCH));
      return batch ? { ...batch, head } : { from: after + 1, to: after, deltas: [], head };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    pump,
    close() {
      closed = true;
      clearInterval(timer);
      offCommit();
      offBus?.();
      listeners.clear();
    },
  };
}
