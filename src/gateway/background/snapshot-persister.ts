import type { Logger } from 'pino';
import type { Clock, Snapshot } from '../../core/index.js';
import { writePersistedSnapshot } from './persisted-snapshot.js';

/** Schedules writes of the last-good snapshot; see {@link createSnapshotPersister}. */
export interface SnapshotPersister {
  /** Writes as soon as the write in flight (if any) is done: after a full snapshot. */
  now(): void;
  /** Writes at most once per interval: after batches. */
  soon(): void;
  /** Writes what is not written yet and waits for it (shutdown). */
  flush(): Promise<void>;
}

/**
 * Writes `snapshot()` to `file` with {@link writePersistedSnapshot}, one write at a time: a full snapshot at once,
 * batches throttled to one write per `intervalMs`, or per 20× the time the last write kept the event loop busy when
 * that is longer (a big snapshot; a restart replays what is missing from the change log). A
 * failed write is logged once (until one succeeds again) and never stops the gateway.
 * @example const persister = createSnapshotPersister({ file, intervalMs: 2000, clock, logger, snapshot: () => replica.toSnapshot(clock.now()) });
 */
export function createSnapshotPersister(opts: {
  file: string;
  intervalMs: number;
  clock: Clock;
  logger: Logger;
  snapshot: () => Snapshot | null;
}): SnapshotPersister {
  let writing: Promise<void> | null = null;
  let dirty = false;
  let timer: NodeJS.Timeout | null = null;
  let lastWrite = 0;
  let gap = opts.intervalMs;
  let failing = false;

  const write = (): Promise<void> => {
    if (writing) {
      dirty = true;
      return writing;
    }
    if (timer) clearTimeout(timer);
    timer = null;
    dirty = false;
    const started = performance.now();
    const snap = opts.snapshot();
    if (snap === null) return Promise.resolve();
    const at = opts.clock.now();
    lastWrite = at;
    const written = writePersistedSnapshot(opts.file, snap, at);
    // Building, serialising and hashing run on the event loop: keep them under 5 % of its time.
    gap = Math.max(opts.intervalMs, 20 * (performance.now() - started));
    writing = written
      .then(() => {
        if (failing) opts.logger.info({ file: opts.file }, 'persisted snapshot written again');
        failing = false;
        opts.logger.debug({ version: snap.version }, 'persisted snapshot written');
      })
      .catch((err: unknown) => {
        if (!failing)
          opts.logger.warn(
            { err: (err as Error).message, file: opts.file },
            'cannot write the persisted snapshot; a restart without a control plane would serve an older one',
          );
        failing = true;
      })
      .finally(() => {
        writing = null;
        if (dirty) soon();
      });
    return writing;
  };

  const soon = (): void => {
    if (writing) {
      dirty = true;
      return;
    }
    if (timer) return;
    const wait = Math.max(0, lastWrite + gap - opts.clock.now());
    timer = setTimeout(() => void write(), wait);
    timer.unref();
  };

  return {
    now: () => void write(),
    soon,
    async flush() {
      if (writing) await writing;
      if (timer || dirty) await write();
      if (writing) await writing;
    },
  };
}
