import type { Logger } from 'pino';
import type {
  DeltaBatch,
  SnapshotAccessToken,
  SnapshotApi,
  SnapshotApiKey,
  SnapshotApplication,
  SnapshotBlockingCondition,
  SnapshotDelta,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotSubscription,
  SnapshotThrottlePolicy,
} from '../../core/index.js';

/** What one applied batch changed, so the gateway drops exactly the caches it must. */
export interface BatchEffects {
  /** `applied`; `stale` (nothing newer than the version served); `gap` (the batch starts after version + 1). */
  readonly outcome: 'applied' | 'stale' | 'gap';
  keyManagers: boolean;
  trustStore: boolean;
  /** APIs, applications, subscriptions, key mappings or policies changed. */
  entities: boolean;
  /** jtis newly revoked. */
  readonly revoked: Map<string, number | null>;
}

/** The entries a delta replaces or removes in the live index, one setter per kind of delta. */
export interface DeltaTarget {
  setApi(id: string, api: SnapshotApi | null): void;
  setApplication(id: number, app: SnapshotApplication | null): void;
  setSubscription(uuid: string, sub: SnapshotSubscription | null): void;
  setMapping(key: string, mapping: SnapshotKeyMapping | null): void;
  setPolicy(key: string, policy: SnapshotThrottlePolicy | null): void;
  /** True when the jti was not revoked yet. */
  revoke(jti: string, exp: number | null): boolean;
  setKeyManager(name: string, km: SnapshotKeyManager | null): void;
  setTrustedCerts(certs: Readonly<Record<string, string>>): void;
  setApiKey(jti: string, key: SnapshotApiKey | null): void;
  setBlockingCondition(id: string, condition: SnapshotBlockingCondition | null): void;
  setAccessToken(id: string, token: SnapshotAccessToken | null, nowMs: number): void;
}

/**
 * Applies a batch of the change log to `target` when it continues `version` (`from <= version + 1`); deltas at
 * or below the version are skipped, so replaying a batch is harmless. A later start is a `gap`: nothing is
 * applied and the caller must load a full snapshot. A delta that throws is logged and skipped.
 */
export function applyDeltaBatch(
  target: DeltaTarget,
  version: number,
  batch: DeltaBatch,
  nowMs: number,
  logger: Logger,
): BatchEffects {
  const effects: BatchEffects = {
    outcome: 'applied',
    keyManagers: false,
    trustStore: false,
    entities: false,
    revoked: new Map(),
  };
  if (batch.to <= version) return { ...effects, outcome: 'stale' };
  if (batch.from > version + 1) return { ...effects, outcome: 'gap' };
  for (const d of batch.deltas) {
    if (d.version <= version) continue;
    try {
      applyDelta(target, d, effects, nowMs);
    } catch (err) {
      logger.error({ err, kind: d.kind, key: d.key }, 'gateway: could not apply a change');
    }
  }
  return effects;
}

function applyDelta(target: DeltaTarget, d: SnapshotDelta, effects: BatchEffects, nowMs: number): void {
  switch (d.kind) {
    case 'api':
      effects.entities = true;
      return target.setApi(d.key, d.api);
    case 'application':
      effects.entities = true;
      return target.setApplication(Number(d.key), d.application);
    case 'subscription':
      effects.entities = true;
      return target.setSubscription(d.key, d.subscription);
    case 'keymapping':
      effects.entities = true;
      return target.setMapping(d.key, d.mapping);
    case 'policy':
      effects.entities = true;
      return target.setPolicy(d.key, d.policy);
    case 'revocation':
      if (target.revoke(d.key, d.exp)) effects.revoked.set(d.key, d.exp);
      return;
    case 'keymanager':
      effects.keyManagers = true;
      return target.setKeyManager(d.key, d.keyManager);
    case 'truststore':
      effects.trustStore = true;
      return target.setTrustedCerts(d.trustedCerts);
    case 'apikey':
      return target.setApiKey(d.key, d.apiKey);
    case 'blockingcondition':
      // Read per request from the index: no compiled route or cache depends on it.
      return target.setBlockingCondition(d.key, d.condition);
    case 'accesstoken':
      // Looked up per request by hash: no compiled route or cache depends on it.
      return target.setAccessToken(d.key, d.token, nowMs);
  }
}
