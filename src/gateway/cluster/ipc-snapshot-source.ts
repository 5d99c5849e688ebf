import type { DeltaBatch, Snapshot, SnapshotSource } from '../../core/index.js';

/**
 * The snapshot source of a worker: fed by the primary's `snapshot` and `changes` messages. A gap in the batches
 * makes the worker's gateway call {@link resync}, which asks the primary for a full snapshot.
 */
export class IpcSnapshotSource implements SnapshotSource {
  #latest: Snapshot | null = null;
  readonly #waiting: ((s: Snapshot) => void)[] = [];
  readonly #listeners = new Set<(s: Snapshot) => void>();
  readonly #changeListeners = new Set<(b: DeltaBatch) => void>();
  #resyncs: (() => void)[] = [];

  /** `requestSnapshot` asks the primary for a full snapshot (sent back as a `snapshot` message). */
  constructor(private readonly requestSnapshot: () => void = () => undefined) {}

  current(): Promise<Snapshot> {
    if (this.#latest !== null) return Promise.resolve(this.#latest);
    return new Promise((resolve) => this.#waiting.push(resolve));
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
    return new Promise((resolve) => {
      this.#resyncs.push(resolve);
      if (this.#resyncs.length === 1) this.requestSnapshot();
    });
  }

  /** Delivers a snapshot received from the primary. */
  push(snapshot: Snapshot): void {
    const first = this.#latest === null;
    this.#latest = snapshot;
    if (first) {
      // The gateway loads the first one through current(); listeners only see later ones.
      for (const resolve of this.#waiting.splice(0)) resolve(snapshot);
    } else {
      for (const l of this.#listeners) l(snapshot);
    }
    const resyncs = this.#resyncs;
    this.#resyncs = [];
    for (const done of resyncs) done();
  }

  /** Delivers a batch of changes received from the primary. */
  pushChanges(batch: DeltaBatch): void {
    for (const l of this.#changeListeners) l(batch);
  }
}
