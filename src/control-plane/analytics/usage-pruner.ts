import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { usageRepository, type Store } from '../../store/index.js';
import { startPeriodicTask } from '../maintenance/periodic-task.js';

const DAY_MS = 86_400_000;

export interface UsagePrunerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** `[analytics] retention_days`; 0 keeps every minute (no task is started). */
  retentionDays: number;
  intervalMs: number;
}

/**
 * Deletes usage minutes (and remembered flush ids) older than `retentionDays` now and every `intervalMs`, as the
 * audit log's pruner does. Returns `stop`.
 * @example const stop = startUsagePruner({ store, clock, logger, retentionDays: 90, intervalMs: 3_600_000 });
 */
export function startUsagePruner(opts: UsagePrunerOptions): () => Promise<void> {
  if (opts.retentionDays <= 0) return async () => {};
  return startPeriodicTask({
    logger: opts.logger,
    intervalMs: opts.intervalMs,
    run: () => usageRepository(opts.store).deleteOlderThan(opts.clock.now() - opts.retentionDays * DAY_MS),
    done: 'usage analytics past their retention pruned',
    failed: 'usage analytics pruning failed',
  });
}
