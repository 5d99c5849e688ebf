import type { Logger } from 'pino';
import type { Clock, DeltaBatch, Snapshot, SnapshotSource } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import type { ChangeFeed } from '../sync/change-feed.js';
import { buildSnapshot, type SnapshotExtras } from './build-snapshot.js';

/**
 * The gateway state as a control plane serves it: a full snapshot on demand (cached until the change log moves),
 * and the change feed's delta batches after it. `subscribe` listeners get a snapshot only when one is built on
 * request (`rebuild`, `resync`), never one per change.
 */
export interface SnapshotService extends SnapshotSource {
  /** Builds the snapshot at the current log head now (coalescing concurrent calls) and hands it to subscribers. */
  rebuild(): Promise<Snapshot>;
  close(): void;
}

export function createSnapshotService(opts: {
  store: Store;
  feed: ChangeFeed;
  clock: Clock;
  logger: Logger;
  extras: SnapshotExtras;
}): SnapshotService {
  const listeners = new Set<(s: Snapshot) => void>();
  let current: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;
  let again = false;

  const rebuild = (): Promise<Snapshot> => {
    if (building) {
      again = true;
      return building;
    }
    building = (async () => {
      try {
        let snap: Snapshot;
        do {
          again = false;
          snap = await buildSnapshot(opts.store, opts.clock.now(), opts.extras);
        } while (again);
        if (current === null || snap.version >= current.version) current = snap;
        for (const l of listeners) l(snap);
        return snap;
      } finally {
        building = null;
      }
    })();
    return building;
  };

  // Consumers follow the batches (subscribeChanges); a whole snapshot is built only when asked for: current()
  // after the log moved, or resync() after a consumer saw a gap. No snapshot is rebuilt per change.
  const unsubscribe = opts.feed.subscribe(() => {
    current = null;
  });

  return {
    async current() {
      if (current !== null && current.version === opts.feed.head()) return current;
      return rebuild();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    subscribeChanges(listener: (batch: DeltaBatch) => void) {
      return opts.feed.subscribe(listener);
    },
    async resync() {
      try {
        await rebuild();
      } catch (err) {
        opts.logger.error({ err }, 'snapshot rebuild failed');
        throw err;
      }
    },
    rebuild,
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
