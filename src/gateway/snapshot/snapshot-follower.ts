import type { Logger } from 'pino';
import type { Clock, DeltaBatch, Snapshot, SnapshotSource } from '../../core/index.js';
import type { LiveIndex } from './live-index.js';

/** The caches that hold what a change can invalidate. */
export interface ChangeSensitiveCaches {
  /** Dropped when key managers change. */
  readonly accessTokens: {
    clear(): void;
    evictRevoked(revoked: ReadonlyMap<string, unknown>): number;
  };
  /** Dropped when the trust store changes. */
  readonly apiKeys: { clear(): void; evictRevoked(revoked: ReadonlyMap<string, unknown>): number };
  /** Dropped on any change of APIs, applications, subscriptions or key mappings (their claims are in it). */
  readonly backendJwts: { clear(): void };
}

/** Batches kept while the first snapshot loads; beyond that, one full snapshot is asked for after it. */
const MAX_EARLY_BATCHES = 1000;

/**
 * Keeps the index the gateway serves current: loads the source's first snapshot, then follows its delta
 * batches when it offers them ({@link SnapshotSource.subscribeChanges}), applying each in O(change), and whole
 * snapshots otherwise. A batch that does not continue the version served (a gap) is ignored and a full snapshot
 * is asked for ({@link SnapshotSource.resync}, else `current()`); until it arrives the gateway keeps serving
 * what it has. A full snapshot older than the version served is ignored.
 */
export class SnapshotFollower {
  #index: LiveIndex;
  #loaded = false;
  #appliedAt: number | null = null;
  #resyncing = false;
  #early: DeltaBatch[] | null = [];
  #earlyOverflow = false;
  readonly #unsubscribe: (() => void)[] = [];
  readonly ready: Promise<void>;

  constructor(
    private readonly source: SnapshotSource,
    private readonly compile: (snapshot: Snapshot) => LiveIndex,
    private readonly caches: ChangeSensitiveCaches,
    private readonly clock: Clock,
    private readonly logger: Logger,
    empty: Snapshot,
  ) {
    this.#index = compile(empty);
    this.#unsubscribe.push(source.subscribe((s) => this.applySnapshot(s)));
    if (source.subscribeChanges) this.#unsubscribe.push(source.subscribeChanges((b) => this.applyBatch(b)));
    this.ready = source.current().then((s) => {
      this.applySnapshot(s);
      const early = this.#early ?? [];
      this.#early = null;
      if (this.#earlyOverflow) this.#resync(early[early.length - 1]!);
      else for (const b of early) this.applyBatch(b);
    });
    this.ready.catch((err: unknown) => logger.error({ err }, 'gateway: could not load the first snapshot'));
  }

  /** The index requests are served from (read per request; replaced on a full snapshot). */
  get index(): LiveIndex {
    return this.#index;
  }

  /** True once a snapshot has been applied. */
  get loaded(): boolean {
    return this.#loaded;
  }

  /** When the served version was applied (epoch ms), or null before the first snapshot. */
  get appliedAt(): number | null {
    return this.#appliedAt;
  }

  applySnapshot(snapshot: Snapshot): void {
    const current = this.#index;
    if (this.#loaded && snapshot.version < current.version) {
      this.logger.warn(
        { version: snapshot.version, serving: current.version },
        'gateway: ignoring an older snapshot',
      );
      return;
    }
    let next: LiveIndex;
    try {
      next = this.compile(snapshot);
    } catch (err) {
      this.logger.error(
        { err, version: snapshot.version },
        'gateway: snapshot rejected, keeping the current one',
      );
      return;
    }
    this.caches.accessTokens.clear();
    this.caches.apiKeys.clear();
    this.caches.backendJwts.clear();
    this.#index = next;
    this.#loaded = true;
    this.#resyncing = false;
    this.#appliedAt = this.clock.now();
    this.logger.info({ version: next.version, apis: next.routes.size }, 'gateway: serving snapshot');
  }

  applyBatch(batch: DeltaBatch): void {
    if (this.#early !== null) {
      if (this.#early.length < MAX_EARLY_BATCHES) this.#early.push(batch);
      else this.#earlyOverflow = true; // one full snapshot is asked for once the first one is in
      return;
    }
    const effects = this.#index.apply(batch, this.clock.now());
    if (effects.outcome === 'gap') {
      this.#resync(batch);
      return;
    }
    if (effects.outcome === 'stale') return;
    if (effects.keyManagers) this.caches.accessTokens.clear();
    if (effects.trustStore) this.caches.apiKeys.clear();
    if (effects.revoked.size > 0) {
      this.caches.accessTokens.evictRevoked(effects.revoked);
      this.caches.apiKeys.evictRevoked(effects.revoked);
    }
    if (effects.entities || effects.keyManagers || effects.revoked.size > 0) this.caches.backendJwts.clear();
    this.#appliedAt = this.clock.now();
    if (this.logger.isLevelEnabled('debug'))
      this.logger.debug({ from: batch.from, to: batch.to, changes: batch.deltas.length }, 'gateway: applied');
  }

  #resync(batch: DeltaBatch): void {
    if (this.#resyncing) return;
    this.#resyncing = true;
    this.logger.warn(
      { serving: this.#index.version, from: batch.from, to: batch.to },
      'gateway: change log gap, loading a full snapshot',
    );
    const done = (): void => {
      // A failed or older answer leaves the next gap free to ask again.
      this.#resyncing = false;
    };
    if (this.source.resync) {
      this.source.resync().then(done, (err: unknown) => {
        done();
        this.logger.error({ err }, 'gateway: full snapshot after a gap failed');
      });
      return;
    }
    this.source.current().then(
      (s) => {
        done();
        this.applySnapshot(s);
      },
      (err: unknown) => {
        done();
        this.logger.error({ err }, 'gateway: full snapshot after a gap failed');
      },
    );
  }

  close(): void {
    for (const off of this.#unsubscribe) off();
  }
}
