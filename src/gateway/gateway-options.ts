import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock, SnapshotAccessToken, SnapshotSource } from '../core/index.js';
import type { CorsSettings } from './cors/cors-policy.js';
import type { MetricsAccess } from './metrics/metrics-endpoint.js';
import type { TracingSettings } from './tracing/gateway-tracing.js';
import type { RateCounter } from './handlers/throttling/rate-counter.js';
import type { UsageBuffer } from './analytics/usage-buffer.js';

/** Gateway tuning, mapped by the CLI from `deployment.toml` (WSO2 key names in the comments). */
export interface GatewaySettings {
  /** Allowed clock skew for `exp`/`nbf`, seconds (WSO2 `timestamp_skew`, 300). */
  clockSkewSeconds: number;
  /** `[apim.cache.gateway_token] enable, expiry_time` (900 s). Verified tokens and API keys are cached by jti. */
  tokenCache: { enabled: boolean; ttlMs: number; maxEntries: number };
  /**
   * How the client IP (API-key IP restrictions, anonymous throttling) is found.
   * `rightmost-untrusted`: the socket peer, or, when the peer is one of `trustedProxies` (CIDRs), the right-most
   * `X-Forwarded-For` entry that is not trusted. `xff-first`: WSO2's behaviour, the first `X-Forwarded-For` entry.
   */
  clientIp: { trustedProxies: string[]; mode: 'rightmost-untrusted' | 'xff-first' };
  /** `[apim.oauth_config] remove_outbound_auth_header` (true): never forward the client's `Authorization`. */
  removeOutboundAuthHeader: boolean;
  /** `[apim.jwt]`: the backend JWT (wso2-compat.md §8). */
  backendJwt: {
    enabled: boolean;
    header: string;
    encoding: 'base64' | 'base64url';
    claimDialect: string;
    signingAlgorithm: 'SHA256withRSA' | 'NONE';
    ttlSeconds: number;
    issuer: string;
  };
  /** Signing key of the backend JWT (required when it is enabled with `SHA256withRSA`). */
  backendJwtKey?: { privateKey: KeyObject; certificate: X509Certificate };
  /** Value of the `Server` header on gateway-generated responses. */
  serverHeader?: string;
  /** `[apim.cors]`; absent = WSO2's defaults (enabled, any origin). */
  cors?: CorsSettings;
  /** `[tracing]`: W3C trace context and OTLP export; absent = off (nothing created per request). */
  tracing?: TracingSettings;
  /** `[metrics]`: `GET /metrics` on the gateway's listeners; absent = off (nothing recorded). */
  metrics?: { access: MetricsAccess; token: string };
}

/** Everything {@link createGateway} needs; all of it in memory (no store, no network except upstreams). */
export interface GatewayOptions {
  snapshotSource: SnapshotSource;
  clock: Clock;
  logger: Logger;
  settings: GatewaySettings;
  /** Portico version reported by `/health`. */
  version: string;
  /** Called synchronously for every accepted API key; the caller buffers and flushes in the background. */
  onApiKeyUsed?: (jti: string, at: number) => void;
  /**
   * Called when a JWT names a `kid` its key manager's JWKS does not hold; the caller refetches the JWKS out of
   * band (single-flight, cooldown) and publishes a new snapshot. Never awaited by a request.
   */
  onUnknownKid?: (keyManagerName: string) => void;
  /**
   * The deployment's API-key hash secret (`[apim.devportal] api_key_hash_secret`, or the generated
   * `resources/security/api-key-hash-secret`): opaque keys are found by their HMAC under it. Absent = opaque keys
   * are refused.
   */
  apiKeyHashSecret?: Buffer;
  /**
   * The `kid` of the JWT API keys this deployment issues (`[apim.devportal] api_key_alias`): `/health` warns while
   * the served trust store has no certificate under it. Absent = no check.
   */
  apiKeySigningAlias?: string;
  /**
   * Scaled out: asks a control plane whether an opaque access token (by HMAC) not held yet is live, so a token used
   * before its delta arrived is not refused (ADR 0006). Must be bounded (`boundedAccessTokenLookup`); called only
   * after such a token was refused, never for a token held. Absent: only deltas teach the gateway new tokens.
   */
  accessTokenLookup?: (hash: string) => Promise<SnapshotAccessToken | null>;
  /** Throttling counters; default in-memory (one process). Shared: a `LeaseCounter` over a permit store. */
  counter?: RateCounter;
  /** The `/metrics` text when it is not this gateway's registry alone (a worker answers the sum over workers). */
  metricsText?: () => Promise<string>;
  /** Export Node process metrics with the gateway's (default true). */
  processMetrics?: boolean;
  /**
   * `[analytics]` on: every answer to an API is counted here (synchronously, no I/O); the caller drains it in the
   * background (`startUsageFlusher`). Absent: nothing is recorded.
   */
  usage?: UsageBuffer;
}

/** Fresh default settings, equal to WSO2's defaults. */
export function defaultGatewaySettings(): GatewaySettings {
  return {
    clockSkewSeconds: 300,
    tokenCache: { enabled: true, ttlMs: 900_000, maxEntries: 10_000 },
    clientIp: { trustedProxies: [], mode: 'rightmost-untrusted' },
    removeOutboundAuthHeader: true,
    backendJwt: {
      enabled: false,
      header: 'X-JWT-Assertion',
      encoding: 'base64',
      claimDialect: 'http://wso2.org/claims',
      signingAlgorithm: 'SHA256withRSA',
      ttlSeconds: 900,
      issuer: 'wso2.org/products/am',
    },
  };
}
