import { createHash, randomUUID, sign } from 'node:crypto';
import type { Clock } from '../../../core/index.js';
import type { GatewaySettings } from '../../gateway-options.js';
import type { Handler } from '../../pipeline/handler.js';
import type { Principal } from '../../pipeline/principal.js';
import type { CompiledApi } from '../../snapshot/compiled-snapshot.js';

/** Signed backend JWTs by `jti|apiId|applicationId`, shared by the handlers of one snapshot (cleared on every swap). */
export type BackendJwtCache = Map<string, { readonly jwt: string; readonly refreshAt: number }>;

/** Claims a backend JWT never copies from the caller's token (the gateway sets its own). */
const RESERVED = new Set(['iss', 'exp', 'iat', 'nbf', 'jti', 'sub', 'aud']);
const MAX_CACHED = 10_000;

/**
 * Backend JWT (`X-JWT-Assertion`, wso2-compat.md §8): WSO2 claims in the configured dialect, signed RS256 with
 * `settings.backendJwtKey` (or unsigned with `NONE`), encoded base64 (padded) or base64url, cached per
 * (jti, API) until shortly before its `exp`. Null when disabled, for anonymous resources, or when no key is set.
 *
 * @example
 * const h = backendJwtHandler(api, resource.authType === 'None', settings, cache);
 */
export function backendJwtHandler(
  api: Omit<CompiledApi, 'resources'>,
  anonymous: boolean,
  settings: GatewaySettings,
  cache: BackendJwtCache,
  clock: Clock,
): Handler | null {
  const cfg = settings.backendJwt;
  if (!cfg.enabled || anonymous) return null;
  const key = settings.backendJwtKey;
  const unsigned = cfg.signingAlgorithm === 'NONE';
  if (!unsigned && key === undefined) return null;
  const encode = cfg.encoding === 'base64url' ? encodeBase64Url : encodeBase64;
  const header = unsigned
    ? encode(JSON.stringify({ typ: 'JWT', alg: 'none' }))
    : encode(
        JSON.stringify({
          typ: 'JWT',
          alg: 'RS256',
          x5t: Buffer.from(createHash('sha1').update(key!.certificate.raw).digest('hex')).toString(
            'base64url',
          ),
        }),
      );
  const refreshMarginMs = Math.min(30_000, cfg.ttlSeconds * 100);
  return (ctx) => {
    const p = ctx.principal;
    // The application is part of the key: an API-bound key's association can change while its jti does not.
    const cacheKey = p.jti === '' ? '' : `${p.jti}|${api.api.id}|${p.application?.id ?? ''}`;
    const now = clock.now();
    const hit = cacheKey === '' ? undefined : cache.get(cacheKey);
    if (hit !== undefined && now < hit.refreshAt) {
      ctx.backendJwt = hit.jwt;
      return undefined;
    }
    const iat = Math.floor(now / 1000);
    const exp = iat + cfg.ttlSeconds;
    const input = `${header}.${encode(JSON.stringify(backendClaims(p, api, cfg, iat, exp)))}`;
    const jwt = unsigned
      ? `${input}.`
      : `${input}.${encodeSig(sign('sha256', Buffer.from(input), key!.privateKey), cfg.encoding)}`;
    if (cacheKey !== '') {
      if (cache.size >= MAX_CACHED) cache.clear();
      cache.set(cacheKey, { jwt, refreshAt: exp * 1000 - refreshMarginMs });
    }
    ctx.backendJwt = jwt;
    return undefined;
  };
}

/** The WSO2 backend JWT claim set for a principal calling an API. */
export function backendClaims(
  p: Principal,
  api: Omit<CompiledApi, 'resources'>,
  cfg: GatewaySettings['backendJwt'],
  iat: number,
  exp: number,
): Record<string, unknown> {
  const d = cfg.claimDialect.replace(/\/+$/, '');
  const app = p.application;
  const out: Record<string, unknown> = {};
  if (p.kind === 'oauth2') {
    for (const [k, v] of Object.entries(p.claims)) if (!RESERVED.has(k)) out[k] = v;
  }
  const endUser = p.subject.includes('@') || p.subject === '' ? p.subject : `${p.subject}@carbon.super`;
  const isAppToken = p.kind === 'oauth2' && p.claims.aut === 'APPLICATION';
  Object.assign(out, {
    iss: cfg.issuer,
    exp,
    iat,
    jti: randomUUID(),
    sub: p.subject,
    [`${d}/subscriber`]: app?.owner ?? '',
    [`${d}/applicationid`]: app === null ? '' : String(app.id),
    [`${d}/applicationname`]: app?.name ?? '',
    [`${d}/applicationtier`]: app?.throttlingPolicy ?? '',
    [`${d}/apiname`]: api.api.name,
    [`${d}/apicontext`]: api.contextVersion,
    [`${d}/version`]: api.api.version,
    [`${d}/tier`]: p.subscription?.policy ?? '',
    [`${d}/keytype`]: p.keyType,
    [`${d}/usertype`]: isAppToken ? 'APPLICATION' : 'Application_User',
    [`${d}/enduser`]: endUser,
    [`${d}/enduserTenantId`]: '-1234',
    [`${d}/applicationUUId`]: app?.uuid ?? '',
    [`${d}/applicationAttributes`]: JSON.stringify(app?.attributes ?? {}),
  });
  return out;
}

const encodeBase64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
const encodeBase64Url = (text: string): string => Buffer.from(text, 'utf8').toString('base64url');
const encodeSig = (sig: Buffer, encoding: 'base64' | 'base64url'): string => sig.toString(encoding);
