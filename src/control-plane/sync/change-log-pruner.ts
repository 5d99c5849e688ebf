import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { changesRepository, type Store } from '../../store/index.js';

export interface ChangeLogPrunerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** Changes older than this are deleted (the newest one always stays). */
  retentionMs: number;
  intervalMs: number;
}

/**
 * Keeps the change log to `retentionMs` (`[event_hub] change_log_retention`): a gateway that is further behind
 * gets 410 from `/internal/data/v1/changes` and takes a full snapshot. Several control planes may prune at once
 * (the delete is idempotent). Returns `stop`, which cancels the timer and waits for a run in progress.
 */
export function startChangeLogPruner(opts: ChangeLogPrunerOptions): () => Promise<void> {
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const removed = await changesRepository(opts.store, opts.store.dialect).prune(
          opts.clock.now() - opts.retentionMs,
        );
        if (removed > 0) opts.logger.info({ removed }, 'old changes pruned from the change log');
      } catch (err) {
        opts.logger.error({ err }, 'change log pruning failed');
      } finally {
        running = null;
      }
    })();
  };
  const timer = setInterval(tick, opts.intervalMs);
  timer.unref();
  tick();
  return async () => {
    stopped = true;
    clearInterval(timer);
    await running;
  };
}
