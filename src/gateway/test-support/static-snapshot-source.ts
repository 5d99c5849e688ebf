import type { DeltaBatch, Snapshot, SnapshotSource, SnapshotSourceStatus } from '../../core/index.js';

/**
 * A SnapshotSource for tests: holds one snapshot, `publish` pushes a newer one to subscribers, `publishChanges`
 * a delta batch; `resync()` calls are counted and answered with the held snapshot.
 */
export class StaticSnapshotSource implements SnapshotSource {
  #snapshot: Snapshot;
  readonly #listeners = new Set<(s: Snapshot) => void>();
  readonly #changeListeners = new Set<(b: DeltaBatch) => void>();
  resyncs = 0;

  constructor(snapshot: Snapshot) {
    this.#snapshot = snapshot;
  }

  current(): Promise<Snapshot> {
    return Promise.resolve(this.#snapshot);
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  subscribeChanges(listener: (batch: DeltaBatch) => void): () => void {
    this.#changeListeners.add(listener);
    return () => this.#changeListeners.delete(listener);
  }

  resync(): Promise<void> {
    this.resyncs++;
    this.publish(this.#snapshot);
    return Promise.resolve();
  }

  /** Absent (an in-process source) unless a test assigns one. */
  status?: () => SnapshotSourceStatus;

  publish(snapshot: Snapshot): void {
    this.#snapshot = snapshot;
    for (const l of this.#listeners) l(snapshot);
  }

  /** Hands a batch to change subscribers; `snapshot` (when given) becomes what current() and resync() answer. */
  publishChanges(batch: DeltaBatch, snapshot?: Snapshot): void {
    if (snapshot !== undefined) this.#snapshot = snapshot;
    for (const l of this.#changeListeners) l(batch);
  }
}
