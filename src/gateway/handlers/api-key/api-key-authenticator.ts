import { gatewayFaults, type GatewayFault } from '../../../core/index.js';
import type { VerifiedTokenCache } from '../../cache/verified-token-cache.js';
import { decodeCompactJws, timeClaims, verifyCompactJws, withinValidity } from '../../../crypto/jws/index.js';
import { headerCount } from '../../net/header-count.js';
import type { RequestContext } from '../../pipeline/handler.js';
import type { Principal } from '../../pipeline/principal.js';
import type { CompiledApi, CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { Authenticator } from '../authentication/authenticator.js';
import {
  compileIpRestriction,
  compileRefererRestriction,
  ipAllowed,
  refererPasses,
} from './api-key-restrictions.js';
import { apiKeyAccess, type SubscriptionlessCache } from './api-key-subscription.js';
import { AMBIGUOUS_API_KEY, extractApiKey } from './extract-api-key.js';
import { verifyOpaqueApiKey } from './verify-opaque-api-key.js';
import type { VerifiedApiKey } from './verified-api-key.js';

/** 900901 by reason (one body on the wire; the reason feeds the auth-failure metrics). */
const INVALID = gatewayFaults.invalidCredentialsByReason();

export type { VerifiedApiKey } from './verified-api-key.js';

/** In-memory dependencies of the API-key authenticator. */
export interface ApiKeyDeps {
  readonly index: CompiledSnapshot;
  readonly cache: VerifiedTokenCache<VerifiedApiKey>;
  readonly clockSkewSeconds: number;
  readonly onApiKeyUsed?: (jti: string, at: number) => void;
  /** HMAC secret opaque keys are looked up by; absent = opaque keys are refused. */
  readonly apiKeyHashSecret?: Buffer;
}

const RSA_ALGS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512']);

/**
 * WSO2 JWT API-key authenticator, in the order of wso2-compat.md §3.3/§12.4: strict decoding (900901) →
 * isAPIKey (900901) → cache/revoked (900901) → signature with the trust-store cert whose alias is `kid` (900901)
 * → `exp`/`nbf` with skew (900901) → IP then referrer restrictions (900908) → API binding and subscription
 * (900908, WSO2 collapses every subscription failure for API keys; see `apiKeyAccess`).
 *
 * Portico differences (deliberate, docs/wso2-compatibility.md): a key is accepted only in its exact spelling; a
 * malformed or unsupported key (any `alg` but RS256/384/512, a `crit` header) is 401 900901, not 500 900900; `nbf`
 * is honoured; a key born expired (`exp <= iat`) is refused; two keys in one request are refused; a passing IP
 * rule does not skip the referrer rule, which matches on the parsed URL; a key without `jti` is refused.
 * Returns null when the API does not enable API keys.
 */
export function apiKeyAuthenticator(
  api: Omit<CompiledApi, 'resources'>,
  deps: ApiKeyDeps,
): Authenticator | null {
  const header = api.apiKeyHeader;
  if (header === null) return null;
  const { index, cache } = deps;
  const subscriptionless: SubscriptionlessCache = new Map();
  const restricted = gatewayFaults.restrictionFailed();
  return (ctx: RequestContext): Principal | GatewayFault | null => {
    const key = extractApiKey(ctx.req, header, ctx.query);
    if (key === null) return null;
    if (key === AMBIGUOUS_API_KEY) return INVALID.malformed;

    let verified = cache.get(key, ctx.now)?.value;
    if (verified === undefined) {
      // A JWT has two dots; an opaque key has none (its parts are joined by `_`).
      const result = key.includes('.')
        ? verifyApiKey(key, ctx.now, deps)
        : verifyOpaqueApiKey(key, ctx.now, index, deps.apiKeyHashSecret);
      if ('code' in result) return result;
      verified = result.key;
      cache.set(key, verified.jti, result.notAfterMs, verified, ctx.now);
    } else if (index.revoked.has(verified.jti)) {
      return INVALID.revoked;
    }
    // Rotation grace, and opaque keys the snapshot no longer holds (revoked, expired): the cache may predate both.
    const state = index.apiKeys.get(verified.jti);
    if (state === undefined ? verified.format === 'opaque' : isPast(state.graceExpiresAt, ctx.now)) {
      return state === undefined ? INVALID.revoked : INVALID.expired;
    }

    if (verified.ipRule !== null && !ipAllowed(verified.ipRule, ctx.clientIp)) return restricted;
    if (
      verified.refererRule !== null &&
      !refererPasses(verified.refererRule, ctx.req.headers.referer, headerCount(ctx.req, 'referer'))
    ) {
      return restricted;
    }

    const access = apiKeyAccess(api, index, verified, state, subscriptionless);
    if ('code' in access) return access;

    deps.onApiKeyUsed?.(verified.jti, ctx.now);
    return {
      kind: 'api-key',
      jti: verified.jti,
      subject: verified.subject,
      application: access.application,
      keyType: verified.keyType,
      scopes: [],
      claims: verified.claims,
      subscription: access.subscription,
    };
  };
}

function verifyApiKey(
  key: string,
  now: number,
  deps: ApiKeyDeps,
): { key: VerifiedApiKey; notAfterMs: number | null } | GatewayFault {
  // Malformed, unparseable or unsupported keys are the client's error: 401, not WSO2's 500 900900.
  const jws = decodeCompactJws(key, 'wso2');
  if (typeof jws === 'string') return INVALID.malformed;
  const { header, payload } = jws;
  if (header.typ !== 'JWT' || typeof header.kid !== 'string' || header.kid === '') return INVALID.malformed;
  if (!RSA_ALGS.has(jws.alg)) return INVALID.malformed;
  if (!isApiKeyClaims(payload)) return INVALID.malformed;
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '') return INVALID.malformed;
  if (deps.index.revoked.has(jti)) return INVALID.revoked;
  const times = timeClaims(payload);
  if (times === undefined) return INVALID.malformed;

  const cert = deps.index.trustedKeys.get(header.kid);
  if (cert === undefined) return INVALID.unknown_key;
  if (!verifyCompactJws(jws, cert)) return INVALID.bad_signature;

  const skew = deps.clockSkewSeconds;
  // A key born expired (`exp <= iat`) never worked at WSO2 either, but the clock skew would let it in for 5 minutes.
  if (times.exp !== null && times.iat !== null && times.exp <= times.iat) return INVALID.expired;
  if (!withinValidity(times, now / 1000, skew)) return INVALID.expired;
  const exp = times.exp;

  const app = payload.application as { id?: unknown } | undefined;
  const appId = typeof app?.id === 'number' ? app.id : typeof app?.id === 'string' ? Number(app.id) : NaN;
  const subscribed = payload.subscribedAPIs;
  return {
    key: Object.freeze({
      jti,
      format: 'jwt',
      subject: typeof payload.sub === 'string' ? payload.sub : '',
      keyType: payload.keytype === 'SANDBOX' ? 'SANDBOX' : 'PRODUCTION',
      applicationId: Number.isInteger(appId) ? appId : null,
      ipRule: compileIpRestriction(payload.permittedIP),
      refererRule: compileRefererRestriction(payload.permittedReferer),
      subscribedApis: Array.isArray(subscribed)
        ? subscribed.filter(
            (s): s is { context: unknown; version: unknown } => typeof s === 'object' && s !== null,
          )
        : null,
      claims: Object.freeze(payload),
    }),
    notAfterMs: exp !== null ? (exp + skew) * 1000 : null,
  };
}

const isPast = (at: number | null, now: number): boolean => at !== null && at <= now;

/** WSO2 `isAPIKey`: `token_type` must be `apiKey` when present, else an `application` claim and no `consumerKey`. */
function isApiKeyClaims(p: Record<string, unknown>): boolean {
  if (p.token_type !== undefined) return p.token_type === 'apiKey';
  return typeof p.application === 'object' && p.application !== null && p.consumerKey === undefined;
}
