import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import { revokedTokensRepository, type Store } from '../../store/index.js';

/**
 * Deletes revoked-token rows (access tokens and API keys) whose token has expired anyway (`expires_at < now`);
 * never-expiring rows (`expires_at` null) stay. Returns how many rows went.
 */
export async function pruneRevokedTokens(store: Store, now: number): Promise<number> {
  return revokedTokensRepository(store).prune(now);
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
  const { store, clock, logger } = opts;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const removed = await pruneRevokedTokens(store, clock.now());
        if (removed > 0) logger.info({ removed }, 'expired revoked tokens pruned');
      } catch (err) {
        logger.error({ err }, 'revoked token pruning failed');
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
