import type { ChangeLog } from '../store/index.js';
import type { EventBus } from '../events/index.js';
import type { ControlPlaneContext } from './context.js';
import { createSnapshotService, type SnapshotExtras } from './snapshot/index.js';
import { startChangeFeed } from './sync/index.js';
import { createLiveTrustStore } from './trust-store/index.js';

/** What a process decides about its control plane; the change feed and snapshot service are built from it. */
export type ContextParts = Omit<ControlPlaneContext, 'snapshots' | 'feed' | 'changes' | 'trust'> & {
  /** The trust store file's certificates (alias → PEM), imported into the store once per deployment (ADR 0007). */
  readonly trustSeed?: () => Record<string, string>;
  readonly changes: ChangeLog;
  /** What a snapshot holds besides the store's rows (resident key manager, trusted certificates, JWKS). */
  readonly extras: SnapshotExtras;
  /** The change feed polls the log this often; with `followBus` it also wakes on other control planes' commits. */
  readonly pollIntervalMs: number;
  readonly followBus?: EventBus;
};

/**
 * The control-plane context with its change feed (relaying the change log to gateways) and snapshot service.
 * `close` stops both. Used by the server wiring and the test harness alike.
 * @example const { ctx, close } = await buildControlPlaneContext({ ...parts, pollIntervalMs: 1000 });
 */
export async function buildControlPlaneContext(
  p: ContextParts,
): Promise<{ ctx: ControlPlaneContext; close(): void }> {
  const { extras, pollIntervalMs, followBus, trustSeed, ...base } = p;
  const { store, clock, logger, changes } = base;
  const feed = await startChangeFeed({
    store,
    changeLog: changes,
    extras,
    clock,
    logger: logger.child({ component: 'change-feed' }),
    ...(followBus ? { bus: followBus } : {}),
    pollIntervalMs,
  });
  const snapshots = createSnapshotService({ store, feed, clock, logger, extras });
  const trust = await createLiveTrustStore({
    store,
    changes,
    feed,
    logger: logger.child({ component: 'trust-store' }),
    apiKeySigner: base.apiKeySigner,
    ...(trustSeed ? { seed: trustSeed } : {}),
  });
  return {
    ctx: { ...base, feed, snapshots, trust },
    close() {
      trust.close();
      snapshots.close();
      feed.close();
    },
  };
}
