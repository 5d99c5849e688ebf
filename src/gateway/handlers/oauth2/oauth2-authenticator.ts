import { gatewayFaults, type CredentialFailure, type GatewayFault } from '../../../core/index.js';
import type { VerifiedTokenCache } from '../../cache/verified-token-cache.js';
import { decodeCompactJws, timeClaims, verifyCompactJws, withinValidity } from '../../../crypto/jws/index.js';
import { headerCount } from '../../net/header-count.js';
import type { RequestContext } from '../../pipeline/handler.js';
import type { Principal } from '../../pipeline/principal.js';
import type { CompiledApi, CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { Authenticator } from '../authentication/authenticator.js';
import { subscriptionFault } from '../subscription/subscription-fault.js';
import type { VerifiedAccessToken } from './verified-access-token.js';
import { verifyOpaqueAccessToken } from './verify-opaque-access-token.js';
import {
  subscriptionlessSubscription,
  type SubscriptionlessCache,
} from '../subscription/subscriptionless-subscription.js';

/** 900901 by reason (one body on the wire; the reason feeds the auth-failure metrics). */
const INVALID = gatewayFaults.invalidCredentialsByReason();

export type { VerifiedAccessToken } from './verified-access-token.js';

/** In-memory dependencies of the OAuth2 authenticator. */
export interface OAuth2Deps {
  readonly index: CompiledSnapshot;
  readonly cache: VerifiedTokenCache<VerifiedAccessToken>;
  readonly clockSkewSeconds: number;
  readonly onUnknownKid?: (keyManagerName: string) => void;
  /** The deployment's hash secret: opaque access tokens of `OAUTH` applications are found by their HMAC. */
  readonly opaqueTokenSecret?: Buffer;
}

const BEARER = 'bearer ';

/**
 * OAuth2 bearer authenticator (wso2-compat.md §5.3): a JWT by its signature (issuer's key manager JWKS, `kid`),
 * `exp`/`nbf` with skew and revoked jti; a token with no `.` as an opaque access token of an `OAUTH` application,
 * by HMAC lookup in the snapshot (ADR 0006). Then, for both, consumer key → key mapping → application →
 * subscription (§3.8; on a subscriptionless API an application without a subscription gets one of the API's
 * subscriptionless tier).
 * A token of a key manager the API's `keyManagers` list leaves out is refused like an unknown one.
 * Faults: 900901 (invalid/unknown/expired/revoked token or consumer key, or a key manager the API does not
 * accept), 900908/900907/900909 (subscription).
 * Returns null when the API does not enable OAuth2.
 */
export function oauth2Authenticator(
  api: Omit<CompiledApi, 'resources'>,
  deps: OAuth2Deps,
): Authenticator | null {
  if (!api.usesOAuth2) return null;
  const { index, cache } = deps;
  const revokedFault = gatewayFaults.invalidCredentials('Invalid JWT token', 'revoked');
  const notAllowedFault = gatewayFaults.invalidCredentials('Invalid JWT token', 'unknown_key');
  const allowedKeyManagers = api.allowedKeyManagers;
  const subscriptionless: SubscriptionlessCache = new Map();
  return (ctx: RequestContext): Principal | GatewayFault | null => {
    const auth = ctx.req.headers.authorization;
    if (auth === undefined || auth.length <= BEARER.length) return null;
    if (auth.slice(0, BEARER.length).toLowerCase() !== BEARER) return null;
    // RFC 7235: one or more spaces after the scheme; the token itself is taken exactly as sent.
    let start = BEARER.length;
    while (auth.charCodeAt(start) === 32) start++;
    if (start === auth.length) return null;
    // Node keeps only the first of repeated Authorization headers: two credentials are refused, not guessed at.
    if (headerCount(ctx.req, 'authorization') !== 1) return INVALID.malformed;
    const token = auth.slice(start);

    let verified: VerifiedAccessToken | undefined;
    if (!token.includes('.')) {
      // Opaque: one HMAC and one map lookup per request; a revocation removes the entry, so nothing is cached.
      const opaque = verifyOpaqueAccessToken(token, ctx.now, index, deps.opaqueTokenSecret);
      if (opaque === null) return INVALID.unknown_key;
      verified = opaque;
    } else verified = cache.get(token, ctx.now)?.value;
    if (verified === undefined) {
      const result = verifyAccessToken(token, ctx.now, deps);
      if (typeof result === 'string') return result === 'revoked' ? revokedFault : INVALID[result];
      verified = result.token;
      cache.set(token, verified.jti, result.notAfterMs, verified, ctx.now);
    } else if (verified.jti !== '' && index.revoked.has(verified.jti)) {
      return revokedFault;
    }

    // The API's keyManagers list (WSO2: "Invalid JWT token" when the issuer's key manager is not on it).
    if (allowedKeyManagers !== null && !allowedKeyManagers.has(verified.keyManager)) return notAllowedFault;
    const mapping = index.keyMappings.get(verified.keyManager)?.get(verified.consumerKey);
    if (mapping === undefined) return INVALID.unknown_key;
    const application = index.applications.get(mapping.applicationId);
    if (application === undefined) return gatewayFaults.forbidden();
    // A subscriptionless API (WSO2 `DefaultSubscriptionless`) gives an application without a subscription one.
    const subscription =
      api.subscriptionsByApp.get(application.id) ??
      (api.subscriptionlessTier === null
        ? undefined
        : subscriptionlessSubscription(api, application, verified.jti, subscriptionless));
    const fault = subscriptionFault(subscription, mapping.keyType);
    if (fault !== null) return fault;
    return {
      kind: 'oauth2',
      jti: verified.jti,
      subject: verified.subject,
      application,
      keyType: mapping.keyType,
      consumerKey: verified.consumerKey,
      scopes: verified.scopes,
      keyManager: verified.keyManager,
      claims: verified.claims,
      subscription: subscription ?? null,
    };
  };
}

type VerifyResult =
  | { token: VerifiedAccessToken; notAfterMs: number | null }
  | Exclude<CredentialFailure, 'revoked'>
  | 'revoked';

function verifyAccessToken(token: string, now: number, deps: OAuth2Deps): VerifyResult {
  const jws = decodeCompactJws(token, 'jose');
  if (typeof jws === 'string') return 'malformed';
  const { header, payload } = jws;
  const iss = payload.iss;
  if (typeof iss !== 'string') return 'malformed';
  const km = deps.index.keyManagersByIssuer.get(iss);
  if (km === undefined) return 'unknown_key';
  const times = timeClaims(payload);
  if (times === undefined) return 'malformed';
  if (header.kid !== undefined && typeof header.kid !== 'string') return 'malformed';
  const kid = header.kid ?? '';
  let key = km.keys.get(kid);
  if (key === undefined && kid === '' && km.keys.size === 1) key = km.keys.values().next().value;
  if (key === undefined) {
    if (kid !== '') deps.onUnknownKid?.(km.keyManager.name);
    return 'unknown_key';
  }
  if (key.alg !== null && key.alg !== jws.alg) return 'malformed';
  if (!verifyCompactJws(jws, key.key)) return 'bad_signature';

  const skew = deps.clockSkewSeconds;
  if (times.exp !== null && times.iat !== null && times.exp <= times.iat) return 'expired';
  if (!withinValidity(times, now / 1000, skew)) return 'expired';
  const exp = times.exp;
  const jti = typeof payload.jti === 'string' ? payload.jti : '';
  if (jti !== '' && deps.index.revoked.has(jti)) return 'revoked';
  const consumerKey = payload[km.keyManager.consumerKeyClaim];
  if (typeof consumerKey !== 'string' || consumerKey === '') return 'malformed';
  return {
    token: Object.freeze({
      jti,
      subject: typeof payload.sub === 'string' ? payload.sub : '',
      keyManager: km.keyManager.name,
      consumerKey,
      scopes: Object.freeze(readScopes(payload[km.keyManager.scopesClaim])),
      claims: Object.freeze(payload),
    }),
    notAfterMs: exp !== null ? (exp + skew) * 1000 : null,
  };
}

function readScopes(value: unknown): string[] {
  if (typeof value === 'string') return value.split(' ').filter((s) => s.length > 0);
  if (Array.isArray(value)) return value.filter((s): s is string => typeof s === 'string');
  return [];
}
