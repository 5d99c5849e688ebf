import type { KeyType, SnapshotApplication, SnapshotSubscription } from '../../core/index.js';

/**
 * Who is calling: the one result of authentication, and the only input of subscription checks, scope checks,
 * throttling, analytics and the backend JWT.
 */
export interface Principal {
  /** `internal-key`: the Publisher's test console (`Internal-Key` header); no application, no subscription. */
  readonly kind: 'oauth2' | 'api-key' | 'internal-key' | 'anonymous';
  /** Token id (`jti`); empty for anonymous callers and tokens without one. */
  readonly jti: string;
  /** `sub` of the token or key; empty for anonymous callers. */
  readonly subject: string;
  /** The calling application from the snapshot (null for anonymous callers or unknown full-claims key apps). */
  readonly application: SnapshotApplication | null;
  readonly keyType: KeyType;
  /** OAuth2 client id the token was issued to. */
  readonly consumerKey?: string;
  /** Granted scopes (OAuth2 only). */
  readonly scopes: readonly string[];
  /** Name of the key manager that issued the token (OAuth2 only). */
  readonly keyManager?: string;
  /** Verified claims of the token or key (empty for anonymous callers). */
  readonly claims: Readonly<Record<string, unknown>>;
  /** The subscription of `application` to the API, when there is one. */
  readonly subscription: SnapshotSubscription | null;
}

const NO_CLAIMS: Readonly<Record<string, unknown>> = Object.freeze({});
const NO_SCOPES: readonly string[] = Object.freeze([]);

/** The principal of a request to a resource with auth type `None`. */
export const ANONYMOUS: Principal = Object.freeze({
  kind: 'anonymous',
  jti: '',
  subject: '',
  application: null,
  keyType: 'PRODUCTION',
  scopes: NO_SCOPES,
  claims: NO_CLAIMS,
  subscription: null,
});
