import type {
  SnapshotAccessToken,
  SnapshotApi,
  SnapshotApiKey,
  SnapshotBlockingCondition,
  SnapshotApplication,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotSubscription,
  SnapshotThrottlePolicy,
} from './snapshot.js';

/**
 * Domain events published by the control plane after a commit, consumed by gateways and other control planes.
 * Wire contract (they cross Redis when scaled out): add types, never change a payload's meaning.
 */
export type PorticoEventType =
  | 'api.deployed'
  | 'api.updated'
  | 'api.undeployed'
  | 'application.changed'
  | 'keymapping.changed'
  | 'subscription.changed'
  | 'policy.changed'
  | 'token.revoked'
  | 'apikey.revoked'
  | 'keymanager.changed'
  | 'truststore.changed'
  /** A control plane finished a snapshot (payload: {version}); gateways fetch it when newer than theirs. */
  | 'snapshot.ready'
  /** The change log moved (payload: {@link DeltaBatch}); gateways apply it or catch up from the log. */
  | 'changes';

export interface PorticoEvent {
  readonly type: PorticoEventType;
  /** Monotonic per control-plane store; gateways resync on a gap. */
  readonly version?: number;
  readonly at: number;
  readonly payload: Readonly<Record<string, unknown>>;
}

/**
 * What a committed write changed, by aggregate and key: one row of the transactional outbox (`changes` table),
 * written in the same transaction as the change. The gateway-facing {@link SnapshotDelta} is resolved from the
 * store when the change is relayed, so a row stays small and the delta always carries committed state.
 *
 * Keys (see {@link changeKeys}): `api` → API id; `application` → application id (decimal); `subscription` →
 * `${uuid}\n${apiId}\n${applicationId}` (a removal is resolved without the deleted row); `keymapping` →
 * `${keyManager}\n${consumerKey}`; `policy` → `${level}:${name}`; `revocation` → jti; `keymanager` → name;
 * `truststore` → `*`; `blockingcondition` → the condition's uuid.
 */
export type ChangeKind =
  | 'api'
  | 'application'
  | 'subscription'
  | 'keymapping'
  | 'policy'
  | 'revocation'
  | 'keymanager'
  | 'truststore'
  /** An API key's gateway state (`Snapshot.apiKeys`): key → jti. */
  | 'apikey'
  | 'blockingcondition'
  /** An opaque access token (`Snapshot.accessTokens`): key → token id (ADR 0006). */
  | 'accesstoken';

export interface ChangeRecord {
  readonly kind: ChangeKind;
  readonly key: string;
}

/** Builds the {@link ChangeRecord} of each aggregate, so writers never spell a key by hand. */
export const changeKeys = {
  api: (apiId: string): ChangeRecord => ({ kind: 'api', key: apiId }),
  application: (id: number): ChangeRecord => ({ kind: 'application', key: String(id) }),
  subscription: (uuid: string, apiId: string, applicationId: number): ChangeRecord => ({
    kind: 'subscription',
    key: `${uuid}\n${apiId}\n${applicationId}`,
  }),
  keyMapping: (keyManager: string, consumerKey: string): ChangeRecord => ({
    kind: 'keymapping',
    key: `${keyManager}\n${consumerKey}`,
  }),
  policy: (level: string, name: string): ChangeRecord => ({ kind: 'policy', key: `${level}:${name}` }),
  revocation: (jti: string): ChangeRecord => ({ kind: 'revocation', key: jti }),
  keyManager: (name: string): ChangeRecord => ({ kind: 'keymanager', key: name }),
  trustStore: (): ChangeRecord => ({ kind: 'truststore', key: '*' }),
  apiKey: (jti: string): ChangeRecord => ({ kind: 'apikey', key: jti }),
  blockingCondition: (uuid: string): ChangeRecord => ({ kind: 'blockingcondition', key: uuid }),
  accessToken: (tokenId: string): ChangeRecord => ({ kind: 'accesstoken', key: tokenId }),
} as const;

/**
 * The current state of one changed aggregate, as a gateway applies it: the entity in its snapshot form, or `null`
 * when it no longer exists (or is no longer served: an undeployed API). A removed application takes its
 * subscriptions and key mappings with it. Applying a delta is idempotent and O(1) in the size of the snapshot;
 * applying a newer state early is harmless. `key` is the aggregate's identity in the gateway: the API id, the
 * application id, the subscription uuid, `${keyManager}\n${consumerKey}`, `${level}:${name}`, the jti, the key
 * manager name.
 *
 * Wire contract between control plane and gateways, like {@link Snapshot}: add kinds, never change a meaning.
 */
export type SnapshotDelta =
  | { readonly kind: 'api'; readonly key: string; readonly api: SnapshotApi | null }
  | { readonly kind: 'application'; readonly key: string; readonly application: SnapshotApplication | null }
  | {
      readonly kind: 'subscription';
      readonly key: string;
      readonly subscription: SnapshotSubscription | null;
      /** The subscription's API and application, so a removal can be applied without a lookup. */
      readonly apiId: string;
      readonly applicationId: number;
    }
  | { readonly kind: 'keymapping'; readonly key: string; readonly mapping: SnapshotKeyMapping | null }
  | { readonly kind: 'policy'; readonly key: string; readonly policy: SnapshotThrottlePolicy | null }
  /** A revocation only ever adds: `exp` in epoch seconds (null = the token never expires). */
  | { readonly kind: 'revocation'; readonly key: string; readonly exp: number | null }
  | { readonly kind: 'keymanager'; readonly key: string; readonly keyManager: SnapshotKeyManager | null }
  | {
      readonly kind: 'truststore';
      readonly key: '*';
      readonly trustedCerts: Readonly<Record<string, string>>;
    }
  /** An API key's state; null when the gateway no longer needs it (revoked, expired, grace over, JWT not rotating). */
  | { readonly kind: 'apikey'; readonly key: string; readonly apiKey: SnapshotApiKey | null }
  /** A deny policy by uuid: null when deleted or disabled. */
  | {
      readonly kind: 'blockingcondition';
      readonly key: string;
      readonly condition: SnapshotBlockingCondition | null;
    }
  /** An opaque access token by id: null when revoked, expired or gone (the gateway forgets it). */
  | { readonly kind: 'accesstoken'; readonly key: string; readonly token: SnapshotAccessToken | null };

/**
 * A contiguous run of the change log: versions `from..to` (inclusive), each version one committed change. A
 * gateway at version `from - 1` applies it; a gateway further behind catches up from the log
 * (`GET /internal/data/v1/changes?after=V`), or takes a full snapshot when the log no longer reaches back.
 */
export interface DeltaBatch {
  readonly from: number;
  readonly to: number;
  readonly deltas: readonly (SnapshotDelta & { readonly version: number })[];
}
