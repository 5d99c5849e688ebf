/**
 * The gateway snapshot: everything a gateway needs to serve requests, built by the control plane from the store
 * and handed to gateways (in-process in all-in-one mode, over `/internal/data/v1/snapshot` when scaled out).
 *
 * Wire contract between control plane and gateways: add fields, never change the meaning of one. Bump
 * `SNAPSHOT_SCHEMA` on an incompatible change.
 */
export const SNAPSHOT_SCHEMA = 1;

export type KeyType = 'PRODUCTION' | 'SANDBOX';

export type SubscriptionStatus =
  'UNBLOCKED' | 'BLOCKED' | 'PROD_ONLY_BLOCKED' | 'ON_HOLD' | 'REJECTED' | 'TIER_UPDATE_PENDING';

export type ApiLifecycle = 'CREATED' | 'PUBLISHED' | 'BLOCKED' | 'DEPRECATED' | 'RETIRED' | 'PROTOTYPED';

/** Application-level security schemes an API may enable (WSO2 `securityScheme`). */
export type SecurityScheme = 'oauth2' | 'api_key' | 'basic_auth' | 'oauth_basic_auth_api_key_mandatory';

export const AUTH_TYPE_APP_AND_USER = 'Application & Application User';
export const AUTH_TYPE_NONE = 'None';

export interface SnapshotResource {
  /** HTTP verb in upper case (`GET`), or `*` for any. */
  readonly verb: string;
  /** URI template relative to the API context, e.g. `/order/{orderId}` or `/*`. */
  readonly target: string;
  /** `Application & Application User` (secured), `Application`, `Application User` or `None`. */
  readonly authType: string;
  /** Advanced (resource-level) throttling policy name; `Unlimited` for none. */
  readonly throttlingPolicy: string;
  /** Scope names; a token needs at least one of them (OR). Empty = no scope check. */
  readonly scopes: readonly string[];
}

export interface SnapshotApi {
  readonly id: string;
  readonly name: string;
  /**
   * Context without version, starting with `/` (e.g. `/pizzashack`), or a WSO2 context template with one
   * `{version}` segment (`/{version}/pizzashack`); the API is served on `gatewayPathOf(context, version)`.
   */
  readonly context: string;
  readonly version: string;
  readonly provider: string;
  readonly lifecycle: ApiLifecycle;
  readonly securitySchemes: readonly SecurityScheme[];
  /** Header carrying the API key (matched case-insensitively). Default `apikey`. */
  readonly apiKeyHeader: string;
  /** API-level advanced throttling policy, or null. */
  readonly apiThrottlingPolicy: string | null;
  /**
   * Set when the API needs no subscription (WSO2: its business plans are only `DefaultSubscriptionless`, see
   * `subscriptionlessTier` in core): the tier callers without a subscription are throttled by. An API-bound key
   * with no application may then call the API, and an application key or an associated key needs no subscription
   * row. Null or absent (snapshots of older control planes): a subscription is required.
   */
  readonly subscriptionlessTier?: string | null;
  readonly endpoints: {
    readonly production: string | null;
    readonly sandbox: string | null;
    /** Upstream timeout in milliseconds. */
    readonly timeoutMs: number;
  };
  readonly resources: readonly SnapshotResource[];
  /**
   * The API's own CORS settings (Publisher `corsConfiguration` with `corsConfigurationEnabled: true`); they replace
   * the gateway's `[apim.cors]` for this API. Null or absent: the gateway's `[apim.cors]` applies.
   */
  readonly cors?: SnapshotCors | null;
  /**
   * Backend throttling (Publisher `maxTps`): at most `count` requests per `unitMs` to the production or sandbox
   * endpoint, across all callers. Null or absent (or an environment null): no limit.
   */
  readonly maxTps?: {
    readonly production: SnapshotRate | null;
    readonly sandbox: SnapshotRate | null;
  } | null;
  /**
   * Names of the key managers whose access tokens the API accepts (Publisher `keyManagers`); `["all"]` (the
   * default, also when absent) accepts every enabled key manager; an empty list accepts none (WSO2).
   */
  readonly keyManagers?: readonly string[];
}

/** A per-API CORS policy (WSO2 `APICorsConfiguration`, enabled). */
export interface SnapshotCors {
  /** Allowed origins, exactly as configured; `*` allows any. */
  readonly allowOrigins: readonly string[];
  readonly allowMethods: readonly string[];
  /** Allowed request headers; `*` echoes the preflight's `Access-Control-Request-Headers`. */
  readonly allowHeaders: readonly string[];
  readonly allowCredentials: boolean;
}

/** A rate: `count` requests per `unitMs` milliseconds. */
export interface SnapshotRate {
  readonly count: number;
  readonly unitMs: number;
}

export interface SnapshotApplication {
  /** Internal integer id (`application.id` in API keys). */
  readonly id: number;
  readonly uuid: string;
  readonly name: string;
  readonly owner: string;
  /** Application-level throttling policy name. */
  readonly throttlingPolicy: string;
  readonly attributes: Readonly<Record<string, string>>;
}

/** Links an OAuth client (consumer key) of a key manager to an application and key type. */
export interface SnapshotKeyMapping {
  readonly consumerKey: string;
  /** Key manager name (`Resident Key Manager` for the built-in one). */
  readonly keyManager: string;
  readonly applicationId: number;
  readonly keyType: KeyType;
}

export interface SnapshotSubscription {
  readonly id: string;
  readonly applicationId: number;
  readonly apiId: string;
  /** Subscription throttling policy (tier) name. */
  readonly policy: string;
  readonly status: SubscriptionStatus;
}

export type PolicyLevel = 'subscription' | 'application' | 'api';

export interface SnapshotThrottlePolicy {
  readonly name: string;
  readonly level: PolicyLevel;
  /** Requests allowed per `unitTimeMs`; null means unlimited. */
  readonly requestCount: number | null;
  readonly unitTimeMs: number;
  readonly stopOnQuotaReach: boolean;
  /**
   * Burst control: at most `limit` per `unit` — a subscription policy's spike arrest (`rateLimitCount`, per
   * application and API) or an application policy's `burstLimit` (per application and end user).
   */
  readonly burst: { readonly limit: number; readonly unit: 'sec' | 'min' } | null;
}

/** A key manager whose tokens the gateway accepts. */
export interface SnapshotKeyManager {
  readonly name: string;
  /** `default` for the resident key manager, else `Okta`, `Keycloak`, `OIDC`. */
  readonly type: string;
  readonly issuer: string;
  readonly enabled: boolean;
  /** Claim holding the consumer key (`azp`, Okta `cid`, generic `client_id`). */
  readonly consumerKeyClaim: string;
  /** Claim holding the scopes (`scope`, Okta `scp`); space-delimited string or array. */
  readonly scopesClaim: string;
  readonly validation: 'jwks' | 'introspection';
  /** Public JWKs (RSA/EC) the gateway verifies signatures with. */
  readonly jwks: readonly JsonWebKeyPublic[];
  readonly jwksUri: string | null;
  readonly introspectionEndpoint: string | null;
  /** Credentials for introspection (only present in the snapshot, never on the REST API). */
  readonly introspectionAuth: { readonly clientId: string; readonly clientSecret: string } | null;
}

export interface JsonWebKeyPublic {
  readonly kty: string;
  readonly kid?: string;
  readonly alg?: string;
  readonly use?: string;
  readonly n?: string;
  readonly e?: string;
  readonly crv?: string;
  readonly x?: string;
  readonly y?: string;
  readonly x5t?: string;
}

/** A revoked token or API key, by jti, kept until the token would have expired anyway. */
export interface SnapshotRevokedToken {
  readonly jti: string;
  /** Epoch seconds after which the entry can be dropped; null = never expires. */
  readonly exp: number | null;
}

/**
 * Per-key state a gateway needs beyond the key itself: every unrevoked, unexpired opaque key (found by `hash`),
 * and every key (either format) in a rotation grace. No usable form of a key is in here: an opaque key is held as
 * its HMAC-SHA-256 under the server's API-key hash secret, which the gateway has from its own configuration.
 */
export interface SnapshotApiKey {
  /** The key's id (`keyUUID`); revocations name it. */
  readonly jti: string;
  readonly format: 'jwt' | 'opaque';
  /** HMAC-SHA-256 of an opaque key (base64url); null for JWT keys. */
  readonly hash: string | null;
  /**
   * The application the key belongs to (application keys) or is associated with (API-bound keys); null for an
   * API-bound key with no association.
   */
  readonly applicationId: number | null;
  /**
   * The one API an API-bound key is for (WSO2 4.7 `POST /apis/{apiId}/api-keys/generate`); null or absent for an
   * application key, which may call every API its application is subscribed to.
   */
  readonly apiId?: string | null;
  readonly keyType: KeyType;
  /** The user who issued the key (the principal's subject). */
  readonly subject: string;
  /** Comma-separated IPs/CIDRs, as WSO2's `permittedIP` claim; null = any. */
  readonly permittedIP: string | null;
  /** Comma-separated referrer patterns, as WSO2's `permittedReferer` claim; null = any. */
  readonly permittedReferer: string | null;
  /** Epoch ms after which the key is refused; null = never expires. */
  readonly expiresAt: number | null;
  /** End of the key's rotation grace (epoch ms): refused from then on; null when not rotating. */
  readonly graceExpiresAt: number | null;
}
/**
 * An opaque access token of an `OAUTH` application (ADR 0006), found by `hash`: the HMAC-SHA-256 of the token
 * under the deployment's hash secret (the one opaque API keys use), never the token. Issued by the resident key
 * manager; only unrevoked, unexpired tokens are here.
 */
export interface SnapshotAccessToken {
  /** The token's id (`access_tokens.token_id`): deltas and the principal's `jti` name it. */
  readonly id: string;
  /** HMAC-SHA-256 of the token, base64url. */
  readonly hash: string;
  /** The key manager that issued it (the resident one) and the OAuth client (consumer key) it was issued to. */
  readonly keyManager: string;
  readonly consumerKey: string;
  readonly subject: string;
  /** WSO2 `aut`: `APPLICATION` (client_credentials) or `APPLICATION_USER`. */
  readonly aut: string;
  readonly scopes: readonly string[];
  /** Epoch seconds. */
  readonly issuedAt: number;
  /** Epoch ms after which the token is refused; null = never expires. */
  readonly expiresAt: number | null;
}

/** WSO2 blocking-condition (deny policy) types. */
export type BlockingConditionType = 'API' | 'APPLICATION' | 'IP' | 'IPRANGE' | 'USER';

/**
 * An enabled Admin deny policy (WSO2 blocking condition); disabled ones are not in the snapshot. `API` holds the
 * API's `/context/version`, `APPLICATION` `owner:applicationName`, `USER` the username; `IP` and `IPRANGE` hold
 * canonical addresses (IPv4 dotted quad or compressed IPv6) and `invert` (block every address but these).
 */
export type SnapshotBlockingCondition =
  | { readonly id: string; readonly type: 'API' | 'APPLICATION' | 'USER'; readonly value: string }
  | { readonly id: string; readonly type: 'IP'; readonly fixedIp: string; readonly invert: boolean }
  | {
      readonly id: string;
      readonly type: 'IPRANGE';
      readonly startingIp: string;
      readonly endingIp: string;
      readonly invert: boolean;
    };

export interface Snapshot {
  readonly schema: typeof SNAPSHOT_SCHEMA;
  /** Monotonic version; a gateway ignores a snapshot older than the one it has. */
  readonly version: number;
  readonly createdAt: number;
  readonly apis: readonly SnapshotApi[];
  readonly applications: readonly SnapshotApplication[];
  readonly keyMappings: readonly SnapshotKeyMapping[];
  readonly subscriptions: readonly SnapshotSubscription[];
  readonly policies: readonly SnapshotThrottlePolicy[];
  readonly keyManagers: readonly SnapshotKeyManager[];
  /** Trust store certificates (PEM) by alias: API-key signers are looked up by the key's `kid`. */
  readonly trustedCerts: Readonly<Record<string, string>>;
  readonly revokedTokens: readonly SnapshotRevokedToken[];
  /** Opaque API keys and keys in a rotation grace (absent from snapshots of older control planes). */
  readonly apiKeys?: readonly SnapshotApiKey[];
  /** Live opaque access tokens (ADR 0006); absent from snapshots of control planes that predate them. */
  readonly accessTokens?: readonly SnapshotAccessToken[];
  /** Enabled deny policies; absent from snapshots of control planes that predate them (read as none). */
  readonly blockingConditions?: readonly SnapshotBlockingCondition[];
}

/** An empty snapshot (version 0), the state of a gateway before its first sync. */
export function emptySnapshot(): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    version: 0,
    createdAt: 0,
    apis: [],
    applications: [],
    keyMappings: [],
    subscriptions: [],
    policies: [],
    keyManagers: [],
    trustedCerts: {},
    revokedTokens: [],
    apiKeys: [],
    accessTokens: [],
    blockingConditions: [],
  };
}
