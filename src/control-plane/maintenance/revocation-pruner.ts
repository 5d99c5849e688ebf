import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { accessTokensRepository, revokedTokensRepository, type Store } from '../../store/index.js';
import { startPeriodicTask } from './periodic-task.js';

/**
 * Deletes revoked-token rows (access tokens and API keys) whose token has expired anyway (`expires_at < now`),
 * and the rows of expired opaque access tokens (ADR 0006); never-expiring rows (`expires_at` null) stay. Returns
 * how many rows went.
 */
export async function pruneRevokedTokens(store: Store, now: number): Promise<number> {
  const revoked = await revokedTokensRepository(store).prune(now);
  return revoked + (await accessTokensRepository(store).pruneExpired(now));
}

export interface RevocationPrunerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  intervalMs: number;
}

/**
 * Runs {@link pruneRevokedTokens} now and every `intervalMs` (WSO2's `ExpiredJWTCleaner`). The gateway snapshot
 * already ignores expired rows; this only keeps the table small. Failures are logged and retried next tick.
 * Returns `stop`, which cancels the timer and waits for a run in progress.
 * @example const stop = startRevocationPruner({ store, clock, logger, intervalMs: 3_600_000 }); ... await stop();
 */
export function startRevocationPruner(opts: RevocationPrunerOptions): () => Promise<void> {
  const { store, clock } = opts;
  return startPeriodicTask({
    logger: opts.logger,
    intervalMs: opts.intervalMs,
    run: () => pruneRevokedTokens(store, clock.now()),
    done: 'expired revoked tokens pruned',
    failed: 'revoked token pruning failed',
  });
}
