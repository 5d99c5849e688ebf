import type { KeyObject, X509Certificate } from 'node:crypto';
import type { Logger } from 'pino';
import type { Config } from '../config/index.js';
import type { Clock } from '../core/index.js';
import type { ChangeLog, Store, Queryable } from '../store/index.js';
import type { RestScopeAllowed } from './scope-policy.js';

/** The grants Portico's resident key manager implements (each switchable in `[oauth.grant_type.<name>]`). */
export const SUPPORTED_GRANTS = ['client_credentials', 'password', 'refresh_token'] as const;
export type SupportedGrant = (typeof SUPPORTED_GRANTS)[number];

/**
 * `expires_in` (and devportal `validityTime`) reported for a token that never expires (negative validity).
 * WSO2 reports Long.MAX_VALUE ms, which JSON clients cannot hold exactly; we use the largest int32 (ADR 0002).
 */
export const NEVER_EXPIRES_IN = 2147483647;

/** Longest wait for {@link ResidentKeyManagerOptions.relay} before a token or revoke answer goes out anyway. */
export const RELAY_WAIT_MS = 250;

/** A registered OAuth client (no secret: only its hash is stored). */
export interface OAuthClient {
  clientId: string;
  name: string;
  owner: string;
  grantTypes: string[];
  callbackUrl: string;
  /** Internal application id for application keys; null for REST clients registered by DCR. */
  applicationId: number | null;
  keyType: string | null;
  /**
   * Whether the client's application is of token type `OAUTH` (opaque access tokens), as read together with the
   * client by `authenticateClient`; absent when the client was read without it (the token issuer then looks the
   * application up).
   */
  opaqueAccessTokens?: boolean;
}

export interface NewClientInput {
  name: string;
  owner: string;
  grantTypes: readonly string[];
  callbackUrl?: string;
  applicationId?: number | null;
  keyType?: string | null;
}

/** A user the password grant authenticated, with the roles that decide scopes. */
export interface ResourceOwner {
  username: string;
  roles: string[];
}

/** Construction options of the resident key manager. */
export interface ResidentKeyManagerOptions {
  store: Store;
  clock: Clock;
  config: Readonly<Config>;
  signingKey: { privateKey: KeyObject; certificate: X509Certificate };
  /** `iss` of every token (`https://localhost:9443/oauth2/token` by default, like WSO2). */
  issuer: string;
  /**
   * HMAC-SHA-256 key of opaque access tokens (`OAUTH` applications): the deployment's hash secret, which gateways
   * share (the one opaque API keys use). Without it, token requests of `OAUTH` applications fail (server_error).
   */
  opaqueTokenSecret?: Buffer;
  /**
   * Resolves once the changes committed so far have been handed to the gateways (the change feed's relay). Awaited
   * (bounded, {@link RELAY_WAIT_MS}) after an opaque access token is issued or revoked, so the answer leaves after
   * the gateways were told (ADR 0006). Absent: nothing is awaited.
   */
  relay?: () => Promise<void>;
  /** The write path for revocations (a change-log row in the same transaction); a plain change log of `store` by default. */
  changes?: ChangeLog;
  logger: Logger;
  /**
   * Checks a resource owner's password (password grant); null when wrong or unknown. `origin` (the token request's
   * client address and transport) drives sign-in throttling; it may throw an OAuthError (throttled, plain HTTP).
   */
  verifyUser(username: string, password: string, origin?: RequestOrigin): Promise<ResourceOwner | null>;
  /** Current roles of a user (client owner, refresh-token owner); null when the user no longer exists. */
  userRoles(username: string): Promise<string[] | null>;
  /** REST scope table (`apim:*` → roles). */
  scopeAllowed: RestScopeAllowed;
}

/** Where a token request comes from: the client IP and whether it arrived over TLS. */
export interface RequestOrigin {
  ip: string;
  tls: boolean;
}

/** A token endpoint request after client authentication. */
export interface TokenRequest {
  grantType: string;
  client: OAuthClient;
  /** The HTTP client's address and transport (the password grant passes it to `verifyUser`). */
  origin?: RequestOrigin;
  scope?: string;
  username?: string;
  password?: string;
  refreshToken?: string;
}

/** RFC 6749 §5.1 successful response (WSO2 field order). */
export interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  scope: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** RFC 7662 response. */
export type IntrospectionResponse =
  | { active: false }
  | {
      active: true;
      scope: string;
      client_id: string;
      username: string;
      token_type: string;
      exp?: number;
      iat: number;
      nbf?: number;
      sub?: string;
      aud?: string;
      iss?: string;
      jti?: string;
    };

/** Who asks an introspection: an admin user sees every token, a client only its own. */
export type IntrospectionCaller = { kind: 'admin' } | { kind: 'client'; clientId: string };

/** What a Portico REST API needs from a bearer token. */
export interface VerifiedAccessToken {
  subject: string;
  scopes: string[];
  clientId: string;
}

/** Optional database handle so callers can run key-manager writes inside their own transaction. */
export type Db = Queryable;
