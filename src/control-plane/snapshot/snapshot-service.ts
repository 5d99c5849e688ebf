import type { Logger } from 'pino';
import type { Clock, Snapshot, SnapshotSource } from '../../core/index.js';
import type { EventBus } from '../../events/index.js';
import type { Store } from '../../store/index.js';
import { buildSnapshot, type SnapshotExtras } from './build-snapshot.js';

/** Keeps the current gateway snapshot, rebuilding it (coalesced) after every domain event. */
export interface SnapshotService extends SnapshotSource {
  /** Rebuilds now (coalescing concurrent requests) and resolves with the new snapshot. */
  rebuild(): Promise<Snapshot>;
  close(): void;
}

export function createSnapshotService(opts: {
  store: Store;
  bus: EventBus;
  clock: Clock;
  logger: Logger;
  extras: SnapshotExtras;
  /** Publish `snapshot.ready` after each rebuild (scaled out: tells remote gateways to fetch it). */
  announce?: boolean;
}): SnapshotService {
  const listeners = new Set<(s: Snapshot) => void>();
  let current: Snapshot | null = null;
  let building: Promise<Snapshot> | null = null;
  let again = false;
  let lastVersion = 0;

  const doBuild = async (): Promise<Snapshot> => {
    // Versions must grow across restarts and across control planes: take the clock, never go backwards.
    lastVersion = Math.max(lastVersion + 1, opts.clock.now());
    const snap = await buildSnapshot(opts.store, lastVersion, opts.clock.now(), opts.extras);
    current = snap;
    for (const l of listeners) l(snap);
    if (opts.announce) {
      opts.bus
        .publish({ type: 'snapshot.ready', at: opts.clock.now(), payload: { version: snap.version } })
        .catch((err: unknown) => opts.logger.warn({ err }, 'could not announce the snapshot'));
    }
    return snap;
  };

  const rebuild = (): Promise<Snapshot> => {
    if (building) {
      again = true;
      return building.then(() => building ?? rebuild());
    }
    building = (async () => {
      try {
        let snap = await doBuild();
        while (again) {
          again = false;
          snap = await doBuild();
        }
        return snap;
      } finally {
        building = null;
      }
    })();
    return building;
  };

  const unsubscribe = opts.bus.subscribe((event) => {
    // Announcements are for gateways; rebuilding on them would make control planes ping-pong forever.
    if (event.type === 'snapshot.ready') return;
    rebuild().catch((err: unknown) =>
      opts.logger.error({ err, event: event.type }, 'snapshot rebuild failed'),
    );
  });

  return {
    async current() {
      return current ?? (await rebuild());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    rebuild,
    close() {
      unsubscribe();
      listeners.clear();
    },
  };
}
