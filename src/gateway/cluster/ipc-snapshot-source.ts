import type { Snapshot, SnapshotSource } from '../../core/index.js';

/** The snapshot source of a worker: fed by the primary's `snapshot` messages. */
export class IpcSnapshotSource implements SnapshotSource {
  #latest: Snapshot | null = null;
  readonly #waiting: ((s: Snapshot) => void)[] = [];
  readonly #listeners = new Set<(s: Snapshot) => void>();

  current(): Promise<Snapshot> {
    if (this.#latest !== null) return Promise.resolve(this.#latest);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  subscribe(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers a snapshot received from the primary. */
  push(snapshot: Snapshot): void {
    const first = this.#latest === null;
    this.#latest = snapshot;
    if (first) {
      // The gateway loads the first one through current(); listeners only see later ones.
      for (const resolve of this.#waiting.splice(0)) resolve(snapshot);
      return;
    }
    for (const l of this.#listeners) l(snapshot);
  }
}
