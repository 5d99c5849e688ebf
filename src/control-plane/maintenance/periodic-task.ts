import type { Logger } from 'pino';

export interface PeriodicTaskOptions {
  logger: Logger;
  intervalMs: number;
  /** One run; resolves to how many rows it removed (logged when > 0). */
  run: () => Promise<number>;
  /** Log messages: `{ removed }` is logged with `done` after a run that removed rows, `{ err }` with `failed`. */
  done: string;
  failed: string;
}

/**
 * Runs `run` now and every `intervalMs`, never two at once (a tick during a run is skipped). Failures are logged and
 * retried on the next tick; the timer does not keep the process alive. Returns `stop`, which cancels the timer and
 * waits for a run in progress.
 * @example const stop = startPeriodicTask({ logger, intervalMs: 60_000, run: prune, done: 'pruned', failed: 'prune failed' });
 */
export function startPeriodicTask(opts: PeriodicTaskOptions): () => Promise<void> {
  const { logger } = opts;
  let running: Promise<void> | null = null;
  let stopped = false;
  const tick = (): void => {
    if (running || stopped) return;
    running = (async () => {
      try {
        const removed = await opts.run();
        if (removed > 0) logger.info({ removed }, opts.done);
      } catch (err) {
        logger.error({ err }, opts.failed);
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
