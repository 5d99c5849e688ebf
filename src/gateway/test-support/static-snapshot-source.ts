import type { Snapshot, SnapshotSource } from '../../core/index.js';

/** A SnapshotSource for tests: holds one snapshot, `publish` pushes a newer one to subscribers. */
export class StaticSnapshotSource implements SnapshotSource {
  #snapshot: Snapshot;
  readonly #listeners = new Set<(s: Snapshot) => void>();

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

  publish(snapshot: Snapshot): void {
    this.#snapshot = snapshot;
    for (const l of this.#listeners) l(snapshot);
  }
}
