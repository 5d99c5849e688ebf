import type { KeyObject } from 'node:crypto';
import type {
  Snapshot,
  SnapshotApi,
  SnapshotApplication,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotResource,
  SnapshotSubscription,
  SnapshotThrottlePolicy,
} from '../../core/index.js';
import type { Handler } from '../pipeline/handler.js';
import type { ResourceTemplate } from '../router/resource-template.js';

/** A parsed upstream endpoint: the pool is chosen by `origin`, the path is `basePath` + the request's rest. */
export interface Upstream {
  readonly url: string;
  readonly origin: string;
  /** Path of the endpoint URL without a trailing `/` (may be empty). */
  readonly basePath: string;
}

/** A resource with its template and compiled handler chain. */
export interface CompiledResource {
  readonly resource: SnapshotResource;
  /** Upper-case verb or `*`. */
  readonly verb: string;
  readonly template: ResourceTemplate;
  /** Frozen chain of handlers run for every request to this resource. */
  readonly pipeline: readonly Handler[];
}

/** A served API, compiled for one snapshot. */
export interface CompiledApi {
  readonly api: SnapshotApi;
  /** `${context}/${version}`: the routing key and the `subscribedAPIs[].context` of full-claims API keys. */
  readonly contextVersion: string;
  /** Lifecycle BLOCKED: every request gets 700700. */
  readonly blocked: boolean;
  /** Most specific first. */
  readonly resources: readonly CompiledResource[];
  /** Subscriptions to this API by application id. */
  readonly subscriptionsByApp: ReadonlyMap<number, SnapshotSubscription>;
  /** `WWW-Authenticate` value for 401 faults, listing the schemes the API enables. */
  readonly challenge: string;
  /** Lower-cased API-key header name, or null when the API does not enable API keys. */
  readonly apiKeyHeader: string | null;
  /** True when the API enables OAuth2 (the client's `Authorization` is then consumed by the gateway). */
  readonly usesOAuth2: boolean;
  readonly production: Upstream | null;
  readonly sandbox: Upstream | null;
}

/** A key manager with its JWKS imported. */
export interface CompiledKeyManager {
  readonly keyManager: SnapshotKeyManager;
  /** Public keys by `kid`; keys without a kid are under the empty string. */
  readonly keys: ReadonlyMap<string, KeyObject>;
}

/** The immutable, indexed form of a {@link Snapshot} the gateway serves from; swapped by one reference. */
export interface CompiledSnapshot {
  readonly version: number;
  readonly snapshot: Snapshot;
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
}
