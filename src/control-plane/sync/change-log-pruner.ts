import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { changesRepository, type Store } from '../../store/index.js';
import { startPeriodicTask } from '../maintenance/periodic-task.js';

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
  const log = changesRepository(opts.store, opts.store.dialect);
  return startPeriodicTask({
    logger: opts.logger,
    intervalMs: opts.intervalMs,
    run: () => log.prune(opts.clock.now() - opts.retentionMs),
    done: 'old changes pruned from the change log',
    failed: 'change log pruning failed',
  });
}
