import type { DeltaBatch } from './events.js';
import type { Snapshot } from './snapshot.js';

/** Something a gateway can read snapshots from. */
export interface SnapshotSource {
  /** The latest snapshot (resolves once the first one is available). */
  current(): Promise<Snapshot>;
  /** Called with each newer snapshot; returns an unsubscribe function. */
  subscribe(listener: (snapshot: Snapshot) => void): () => void;
  /**
   * Called with each batch of the change log, in order, after the current snapshot; absent for sources that only
   * hand out whole snapshots. Returns an unsubscribe function.
   */
  subscribeChanges?(listener: (batch: DeltaBatch) => void): () => void;
}
