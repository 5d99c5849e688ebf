import type { Logger } from 'pino';
import type {
  Clock,
  DeltaBatch,
  Snapshot,
  SnapshotOrigin,
  SnapshotSource,
  SnapshotSourceStatus,
} from '../../core/index.js';
import type { EventBus } from '../../events/index.js';
import type { ControlPlaneClient } from './control-plane-client.js';
import { readPersistedSnapshot } from './persisted-snapshot.js';
import { createSnapshotPersister, type SnapshotPersister } from './snapshot-persister.js';
import { SnapshotReplica } from './snapshot-replica.js';
import { TransportMonitor } from './transport-monitor.js';

const CHANGES = '/internal/data/v1/changes?after=';
/** Retry pace while no control plane has answered since start. */
const FIRST_CONTACT_RETRY_MS = 1000;

export interface RemoteSnapshotOptions {
  /** The control planes, with failover. */
  client: ControlPlaneClient;
  /** `[apim.gateway] sync_poll_interval`: the change log is polled this often, push or not. */
  pollIntervalMs: number;
  /** The event hub (Redis): `changes` events push batches; `connected()` tells whether it is reachable. */
  bus?: EventBus & { connected?(): boolean };
  /** Where the last-good snapshot is persisted (under the gateway home); omitted = nothing persisted. */
  cacheFile?: string;
  /** Writes after batches are throttled to one per this many ms (default 2000). */
  persistIntervalMs?: number;
  clock: Clock;
  logger: Logger;
}

/** A {@link SnapshotSource} following remote control planes; see {@link createRemoteSnapshotSource}. */
export interface RemoteSnapshotSource extends SnapshotSource {
  subscribeChanges(listener: (batch: DeltaBatch) => void): () => void;
  status(): SnapshotSourceStatus;
  resync(): Promise<void>;
  /** A change-log head heard elsewhere (a heartbeat reply): the source catches up when it is behind. */
  noteHead(head: number): void;
  /** Called with each newly applied version (heartbeats report it at once). Returns an unsubscribe function. */
  onApplied(listener: (version: number) => void): () => void;
  /** Stops syncing and writes the persisted snapshot if it is behind. */
  close(): Promise<void>;
}

/**
 * A SnapshotSource for a gateway in its own process. It starts from the persisted last-good snapshot when there
 * is one, asks the control plane for the changes after it (or a full snapshot when the log no longer reaches
 * back: 410), and serves the persisted one (origin `cache`) only if no control plane answers. Then it follows
 * `changes` events from the bus, pulls `/internal/data/v1/changes?after=V` on a gap, and polls the log every
 * `pollIntervalMs` so a lost event, or Redis down, costs latency only.
 *
 * Delivery: `subscribe` gets whole snapshots (the first one through `current()`, then each full resync);
 * `subscribeChanges` gets every batch after it, in order, never one that overlaps what was delivered. A consumer
 * that subscribes to no changes gets the patched snapshot through `subscribe` after each batch instead.
 * @example const source = createRemoteSnapshotSource({ client, pollIntervalMs: 5000, bus, cacheFile, clock, logger });
 */
export function createRemoteSnapshotSource(opts: RemoteSnapshotOptions): RemoteSnapshotSource {
  const { client, clock, logger } = opts;
  const snapshotListeners = new Set<(s: Snapshot) => void>();
  const changeListeners = new Set<(b: DeltaBatch) => void>();
  const appliedListeners = new Set<(v: number) => void>();
  const transport = new TransportMonitor(opts.bus !== undefined, opts.pollIntervalMs, logger);
  let replica: SnapshotReplica | null = null;
  let origin: SnapshotOrigin = 'none';
  let appliedAt: number | null = null;
  let head = 0;
  let lastContactAt: number | null = null;
  let reachable: boolean | null = null;
  let lastFailureAt = -Infinity;
  let wantFull = false;
  let pulling: Promise<void> | null = null;
  let pending: DeltaBatch[] = [];
  let closed = false;
  let firstSettled = false;
  let firstResolve: (s: Snapshot) => void = () => {};
  const first = new Promise<Snapshot>((r) => (firstResolve = r));
  const persister: SnapshotPersister | null = opts.cacheFile
    ? createSnapshotPersister({
        file: opts.cacheFile,
        intervalMs: opts.persistIntervalMs ?? 2000,
        clock,
        logger,
        snapshot: () => replica?.toSnapshot(clock.now()) ?? null,
      })
    : null;

  const each = <T>(set: Set<(x: T) => void>, value: T) => {
    for (const l of set) {
      try {
        l(value);
      } catch (err) {
        logger.error({ err }, 'gateway sync: a listener failed');
      }
    }
  };
  const settleFirst = () => {
    if (firstSettled || replica === null) return;
    firstSettled = true;
    firstResolve(replica.toSnapshot(clock.now()));
  };
  const applied = () => {
    appliedAt = clock.now();
    if (firstSettled) each(appliedListeners, replica!.version);
  };

  const contact = () => {
    lastContactAt = clock.now();
    if (reachable === false) logger.info({ url: client.active() }, 'control plane reachable again');
    reachable = true;
    if (origin !== 'live') {
      if (origin === 'cache')
        logger.warn({ url: client.active() }, 'control plane reached: leaving the persisted snapshot, live');
      origin = 'live';
    }
  };

  const installFull = (snap: Snapshot) => {
    replica = new SnapshotReplica(snap);
    head = Math.max(head, snap.version);
    wantFull = false;
    pending = pending.filter((b) => b.to > snap.version);
    applied();
    persister?.now();
    if (firstSettled) each(snapshotListeners, snap);
    logger.info({ version: snap.version }, 'gateway sync: full snapshot loaded');
  };

  /** Applies a batch that starts at or before the next version and ends after the current one. */
  const applyBatch = (batch: DeltaBatch) => {
    const r = replica!;
    // A fresh object either way: listeners get exactly {from, to, deltas}, never what came with it (`head`).
    const trimmed: DeltaBatch =
      batch.from > r.version
        ? { from: batch.from, to: batch.to, deltas: batch.deltas }
        : { from: r.version + 1, to: batch.to, deltas: batch.deltas.filter((d) => d.version > r.version) };
    r.apply(trimmed);
    head = Math.max(head, trimmed.to);
    applied();
    persister?.soon();
    if (!firstSettled) return;
    if (changeListeners.size > 0) each(changeListeners, trimmed);
    else each(snapshotListeners, r.toSnapshot(clock.now()));
  };

  /** A batch from the bus or a poll: applied, ignored (already there), or a gap that pulls the log. */
  const offer = (batch: DeltaBatch): boolean => {
    head = Math.max(head, batch.to);
    if (pulling) {
      pending.push(batch);
      return false;
    }
    if (replica === null) return false;
    if (batch.to <= replica.version) return false;
    if (batch.from > replica.version + 1) {
      // A gap: read the log now, unless the control planes just failed (the poll retries).
      if (clock.now() - lastFailureAt >= FIRST_CONTACT_RETRY_MS) void pull(false);
      return false;
    }
    applyBatch(batch);
    return true;
  };

  const full = async () => {
    const r = await client.call<Snapshot>('GET', '/internal/data/v1/snapshot');
    if (r.status !== 200) throw new Error(`snapshot: HTTP ${r.status}`);
    contact();
    installFull(r.body);
  };

  /** Catches up from the log (or a full snapshot); returns whether any version was applied. */
  const catchUp = async (): Promise<boolean> => {
    if (replica === null || wantFull) {
      await full();
      return true;
    }
    const r0 = replica;
    const start = r0.version;
    for (;;) {
      const at = r0.version;
      const r = await client.call<DeltaBatch & { head: number }>('GET', `${CHANGES}${at}`);
      if (r.status === 410) {
        logger.warn({ version: at }, 'gateway sync: the change log no longer reaches back; full snapshot');
        await full();
        return true;
      }
      if (r.status !== 200) throw new Error(`changes: HTTP ${r.status}`);
      contact();
      head = Math.max(head, r.body.head);
      if (r.body.to > at) applyBatch(r.body);
      if (r.body.to <= at || r0.version >= r.body.head) return r0.version > start;
    }
  };

  const pull = (fromPoll: boolean): Promise<void> => {
    pulling ??= (async () => {
      let ok = false;
      try {
        const found = await catchUp();
        ok = true;
        if (fromPoll) transport.polled(found);
      } catch (err) {
        lastFailureAt = clock.now();
        if (reachable !== false)
          logger.warn(
            { err: (err as Error).message, version: replica?.version ?? 0 },
            replica
              ? 'no control plane answers: serving the last snapshot, retrying'
              : 'no control plane answers and no snapshot yet: retrying',
          );
        reachable = false;
      } finally {
        pulling = null;
      }
      if (!firstSettled && replica !== null) {
        if (origin === 'none') {
          origin = 'cache';
          logger.warn(
            { version: replica.version, savedAt: appliedAt },
            'no control plane reachable: serving the persisted snapshot until one answers',
          );
        }
        settleFirst();
      }
      // Batches that arrived meanwhile; after a failure the next poll reads them from the log instead.
      const queued = pending;
      pending = [];
      if (ok) for (const b of queued) offer(b);
      // A resync asked for while a catch-up was running.
      if (ok && wantFull && !closed) void pull(false);
    })();
    return pulling;
  };

  const loaded = opts.cacheFile ? readPersistedSnapshot(opts.cacheFile) : { status: 'missing' as const };
  if (loaded.status === 'invalid')
    logger.warn({ file: opts.cacheFile, reason: loaded.reason }, 'persisted snapshot ignored');
  if (loaded.status === 'ok') {
    replica = new SnapshotReplica(loaded.snapshot);
    appliedAt = loaded.savedAt;
    head = loaded.snapshot.version;
  }

  let timer: NodeJS.Timeout | null = null;
  let ticks = 0;
  const tick = async () => {
    if (closed) return;
    // Redis gets one poll interval to connect before its absence is reported.
    if (ticks++ > 0) transport.busConnected(opts.bus?.connected?.() ?? true);
    await pull(true);
    if (!closed)
      timer = setTimeout(
        () => void tick(),
        lastContactAt === null ? Math.min(FIRST_CONTACT_RETRY_MS, opts.pollIntervalMs) : opts.pollIntervalMs,
      );
  };
  void tick();

  const unsubscribe = opts.bus?.subscribe((event) => {
    if (event.type === 'changes') {
      const b = event.payload as unknown as DeltaBatch;
      if (!Number.isSafeInteger(b.from) || !Number.isSafeInteger(b.to) || !Array.isArray(b.deltas)) return;
      transport.pushed();
      offer(b);
    } else if (event.type === 'snapshot.ready') noteHead(Number(event.payload.version));
  });

  const noteHead = (h: number) => {
    if (!Number.isSafeInteger(h) || h <= head) return;
    head = h;
    if (replica !== null && h > replica.version && !pulling) void pull(false);
  };

  return {
    current: () => (firstSettled ? Promise.resolve(replica!.toSnapshot(clock.now())) : first),
    subscribe(listener) {
      snapshotListeners.add(listener);
      return () => snapshotListeners.delete(listener);
    },
    subscribeChanges(listener) {
      changeListeners.add(listener);
      return () => changeListeners.delete(listener);
    },
    status: () => ({
      origin,
      version: firstSettled ? replica!.version : 0,
      appliedAt: firstSettled ? appliedAt : null,
      head,
      lastContactAt,
      transport: lastContactAt === null ? 'none' : transport.transport,
      controlPlaneUrl: client.active(),
    }),
    async resync() {
      wantFull = true;
      await pull(false);
      // The pull joined may have been a catch-up already under way: the full snapshot comes with the next one.
      if (wantFull && !closed) await pull(false);
    },
    noteHead,
    onApplied(listener) {
      appliedListeners.add(listener);
      return () => appliedListeners.delete(listener);
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      unsubscribe?.();
      snapshotListeners.clear();
      changeListeners.clear();
      appliedListeners.clear();
      await pulling?.catch(() => {});
      await persister?.flush();
      await client.close();
    },
  };
}
