import type { KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from '../../crypto/jws/index.js';
import type {
  SnapshotAccessToken,
  SnapshotApiKey,
  SnapshotApplication,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotResource,
  SnapshotThrottlePolicy,
} from '../../core/index.js';
import type { CompiledApi, Handler } from '../pipeline/handler.js';
import type { BlockingIndex } from './blocking-index.js';

export type { CompiledApi, CompiledResource, Upstream } from '../pipeline/handler.js';

/** A JWKS key, imported. */
export interface VerificationKey {
  readonly key: KeyObject;
  /** The JWK's `alg`: when the key manager states one, a token must use exactly it. */
  readonly alg: JwsAlgorithm | null;
}

/** A key manager with its JWKS imported. */
export interface CompiledKeyManager {
  readonly keyManager: SnapshotKeyManager;
  /** Public keys by `kid`; keys without a kid are under the empty string. */
  readonly keys: ReadonlyMap<string, VerificationKey>;
}

/**
 * The indexed form of a snapshot the request path reads (implemented by `LiveIndex`): read-only to handlers,
 * updated in place by delta batches, replaced by one reference on a full snapshot.
 */
export interface CompiledSnapshot {
  readonly version: number;
  /** Served APIs by `context/version`. */
  readonly routes: ReadonlyMap<string, CompiledApi>;
  readonly keyManagersByIssuer: ReadonlyMap<string, CompiledKeyManager>;
  /** Key mappings by key manager name, then consumer key. */
  readonly keyMappings: ReadonlyMap<string, ReadonlyMap<string, SnapshotKeyMapping>>;
  readonly applications: ReadonlyMap<number, SnapshotApplication>;
  readonly policies: ReadonlyMap<string, SnapshotThrottlePolicy>;
  /** Trust-store public keys by alias (API-key `kid`). */
  readonly trustedKeys: ReadonlyMap<string, KeyObject>;
  /** Revoked jti → expiry (epoch seconds, null = never). */
  readonly revoked: ReadonlyMap<string, number | null>;
  /** `Snapshot.apiKeys` by jti: opaque keys and keys in a rotation grace. */
  readonly apiKeys: ReadonlyMap<string, SnapshotApiKey>;
  /** Opaque keys by their HMAC (`SnapshotApiKey.hash`). */
  readonly opaqueApiKeys: ReadonlyMap<string, SnapshotApiKey>;
  /** Live opaque access tokens of `OAUTH` applications by their HMAC (`SnapshotAccessToken.hash`, ADR 0006). */
  readonly opaqueAccessTokens: ReadonlyMap<string, SnapshotAccessToken>;
  /** True when the opaque access token with this HMAC is held or was removed recently (a lookup cannot help). */
  accessTokenKnown(hash: string): boolean;
  /**
   * Adds a token a control plane vouched for before its delta arrived (the miss lookup, ADR 0006). False, and
   * nothing added, when it has expired or a removal of it was applied meanwhile (a revocation wins the race).
   */
  learnAccessToken(token: SnapshotAccessToken, nowMs: number): boolean;
  /** Enabled deny policies (blocking conditions), compiled. */
  readonly blocking: BlockingIndex;
}

/** Builds the handler chain of one resource (called once per resource when its API is compiled). */
export type PipelineBuilder = (
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  index: CompiledSnapshot,
) => readonly Handler[];
