import { gatewayFaults, type GatewayFault } from '../../../core/index.js';
import { decodeCompactJws, timeClaims, verifyCompactJws, withinValidity } from '../../../crypto/jws/index.js';
import type { VerifiedTokenCache } from '../../cache/verified-token-cache.js';
import { headerCount } from '../../net/header-count.js';
import type { RequestContext } from '../../pipeline/handler.js';
import type { Principal } from '../../pipeline/principal.js';
import type { CompiledApi, CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { Authenticator } from '../authentication/authenticator.js';

/** The header the Publisher's test console sends its key in (WSO2 `Internal-Key`), as node lower-cases it. */
export const INTERNAL_KEY_HEADER = 'internal-key';
/** `token_type` of an internal key (WSO2 `INTERNAL_KEY_TOKEN_TYPE`). */
export const INTERNAL_KEY_TOKEN_TYPE = 'InternalKey';

/** What a verified internal key contributes, cached by the raw key. */
export interface VerifiedInternalKey {
  readonly jti: string;
  readonly subject: string;
  /** The Portico `api_id` claim: the one API the key was issued for. */
  readonly apiId: string;
  /** `subscribedAPIs[].context` / `.version` pairs (WSO2 matches the called API on them). */
  readonly apis: readonly { readonly context: unknown; readonly version: unknown }[];
  readonly claims: Readonly<Record<string, unknown>>;
}

/** In-memory dependencies of the internal-key authenticator. */
export interface InternalKeyDeps {
  readonly index: CompiledSnapshot;
  readonly cache: VerifiedTokenCache<VerifiedInternalKey>;
  readonly clockSkewSeconds: number;
}

const INVALID = gatewayFaults.invalidCredentialsByReason();
const RSA_ALGS: ReadonlySet<string> = new Set(['RS256', 'RS384', 'RS512']);

/**
 * WSO2's `InternalAPIKeyAuthenticator` (priority -10, so it runs first, on every API whatever its security
 * schemes): the `Internal-Key` header, and only it, carries a key from `POST /apis/{apiId}/generate-key`. No header
 * or an empty one → yield (null). Otherwise: strict compact JWS, `token_type` `InternalKey`, `kid` naming a trusted
 * certificate, RS256/384/512 signature, `jti`, not revoked, `exp` present and not passed (skew) → else 401 900901;
 * issued for another API (its `subscribedAPIs` context/version or Portico's `api_id` differ) → 403 900908 as WSO2's
 * `validateAPISubscription`. No subscription is needed; the principal has no application.
 *
 * Portico differences (docs/wso2-compatibility.md): a key must carry `exp` and `api_id` (Portico only accepts the
 * keys it issues, and a key dies with its API even if another API later takes the same context); a malformed key
 * is 401 900901, never WSO2's 500 900900; a repeated header is refused.
 */
export function internalKeyAuthenticator(
  api: Omit<CompiledApi, 'resources'>,
  deps: InternalKeyDeps,
): Authenticator {
  const forbidden = gatewayFaults.forbidden();
  const { cache } = deps;
  return (ctx: RequestContext): Principal | GatewayFault | null => {
    const key = ctx.req.headers[INTERNAL_KEY_HEADER];
    if (key === undefined || key === '') return null;
    if (typeof key !== 'string' || headerCount(ctx.req, INTERNAL_KEY_HEADER) !== 1) return INVALID.malformed;

    let verified = cache.get(key, ctx.now)?.value;
    if (verified === undefined) {
      const result = verifyInternalKey(key, ctx.now, deps);
      if ('code' in result) return result;
      verified = result.key;
      cache.set(key, verified.jti, result.notAfterMs, verified, ctx.now);
    } else if (deps.index.revoked.has(verified.jti)) {
      return INVALID.revoked;
    }

    if (verified.apiId !== api.api.id) return forbidden;
    const path = api.contextVersion;
    const version = api.api.version;
    if (!verified.apis.some((a) => a.context === path && a.version === version)) return forbidden;
    return {
      kind: 'internal-key',
      jti: verified.jti,
      subject: verified.subject,
      application: null,
      keyType: 'PRODUCTION',
      scopes: [],
      claims: verified.claims,
      subscription: null,
    };
  };
}

function verifyInternalKey(
  key: string,
  now: number,
  deps: InternalKeyDeps,
): { key: VerifiedInternalKey; notAfterMs: number } | GatewayFault {
  const jws = decodeCompactJws(key, 'wso2');
  if (typeof jws === 'string') return INVALID.malformed;
  const { header, payload } = jws;
  // WSO2 issues internal keys without `typ`; one that says anything but JWT is not ours.
  if (header.typ !== undefined && header.typ !== 'JWT') return INVALID.malformed;
  if (typeof header.kid !== 'string' || header.kid === '' || !RSA_ALGS.has(jws.alg)) return INVALID.malformed;
  if (payload.token_type !== INTERNAL_KEY_TOKEN_TYPE) return INVALID.malformed;
  const { jti, api_id: apiId, subscribedAPIs } = payload;
  if (typeof jti !== 'string' || jti === '' || typeof apiId !== 'string' || apiId === '')
    return INVALID.malformed;
  if (!Array.isArray(subscribedAPIs)) return INVALID.malformed;
  if (deps.index.revoked.has(jti)) return INVALID.revoked;
  const times = timeClaims(payload);
  if (times === undefined || times.exp === null) return INVALID.malformed;

  const cert = deps.index.trustedKeys.get(header.kid);
  if (cert === undefined) return INVALID.unknown_key;
  if (!verifyCompactJws(jws, cert)) return INVALID.bad_signature;
  const skew = deps.clockSkewSeconds;
  if (times.iat !== null && times.exp <= times.iat) return INVALID.expired;
  if (!withinValidity(times, now / 1000, skew)) return INVALID.expired;

  return {
    key: Object.freeze({
      jti,
      subject: typeof payload.sub === 'string' ? payload.sub : '',
      apiId,
      apis: subscribedAPIs.filter(
        (s): s is { context: unknown; version: unknown } => typeof s === 'object' && s !== null,
      ),
      claims: Object.freeze(payload),
    }),
    notAfterMs: (times.exp + skew) * 1000,
  };
}
