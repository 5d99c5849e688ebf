import type { DeltaBatch } from './events.js';
import type { Snapshot } from './snapshot.js';

/**
 * Where a gateway's snapshot comes from right now: `live` (following a control plane, or in-process in all-in-one
 * mode), `cache` (its persisted last-good snapshot; no control plane reached since start), `none` (nothing yet).
 */
export type SnapshotOrigin = 'live' | 'cache' | 'none';

/** What a source can tell `/health/ready` and the heartbeat about its freshness. */
export interface SnapshotSourceStatus {
  readonly origin: SnapshotOrigin;
  /** The change-log version served (0 before the first snapshot). */
  readonly version: number;
  /** When `version` was applied (epoch ms), or null before the first snapshot. */
  readonly appliedAt: number | null;
  /** The newest change-log head the source has heard of (from events, polls or heartbeats). */
  readonly head: number;
  /** The control plane last answered (epoch ms), or null if none has yet. */
  readonly lastContactAt: number | null;
  /** `push` while events arrive (Redis), `poll` while only polling, `none` in-process or before contact. */
  readonly transport: 'push' | 'poll' | 'in-process' | 'none';
  /** The control-plane URL in use, when remote. */
  readonly controlPlaneUrl?: string;
}

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
  /**
   * Asks for a full snapshot at the newest version now, because a `subscribeChanges` consumer saw a version gap
   * (a batch whose `from` is past its version + 1). The snapshot is handed to `subscribe` listeners; the promise
   * settles once it has been (or the attempt failed). Optional: a consumer without it calls `current()`, so a
   * source that offers `subscribeChanges` should have `current()` answer the newest snapshot or offer this.
   */
  resync?(): Promise<void>;
  /** Freshness for health and heartbeats; absent means in-process and always live. */
  status?(): SnapshotSourceStatus;
}
