import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { startPeriodicTask } from '../maintenance/periodic-task.js';
import type { AuditLog } from './audit-log.js';

const DAY_MS = 86_400_000;

export interface AuditPrunerOptions {
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
  /** `[audit] retention_days`; 0 keeps every event (no task is started). */
  retentionDays: number;
  intervalMs: number;
}

/**
 * Deletes audit events older than `retentionDays` now and every `intervalMs` (the only way a row leaves the
 * append-only table). Returns `stop`.
 * @example const stop = startAuditPruner({ audit, clock, logger, retentionDays: 365, intervalMs: 3_600_000 });
 */
export function startAuditPruner(opts: AuditPrunerOptions): () => Promise<void> {
  if (opts.retentionDays <= 0) return async () => {};
  return startPeriodicTask({
    logger: opts.logger,
    intervalMs: opts.intervalMs,
    run: () => opts.audit.prune(opts.clock.now() - opts.retentionDays * DAY_MS),
    done: 'audit events past their retention pruned',
    failed: 'audit event pruning failed',
  });
}
