import { changeKeys, RestError, newUuid, type KeyType } from '../../../core/index.js';
import { decodeCompactJws, signCompactJws, verifyCompactJws, x5tOfCert } from '../../../crypto/index.js';
import { X509Certificate } from 'node:crypto';
import { apiKeysRepository, revokedTokensRepository, type ApiKeyRow } from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { buildApiKeyClaims, expiryOf, fullClaimData, type KeyApplication } from './api-key-claims.js';
import type { GenerateRequest } from './api-key-request.js';

/** The `revoked_tokens.token_type` of API keys. */
export const API_KEY_TOKEN_TYPE = 'API_KEY';
const INVALID_KEY = "Provided API Key isn't valid.";

/** What `generate` returns: the key (shown once) and the stored metadata. */
export interface IssuedApiKey {
  apikey: string;
  row: ApiKeyRow;
}

/**
 * Signs a WSO2-format API key (§2: padded segments, header `{x5t, kid, typ, alg}`) for the application and
 * records its metadata (never the key). Lightweight claims unless
 * `[apim.key_manager] enable_lightweight_apikey_generation = false`.
 */
export async function issueApiKey(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  username: string,
  keyType: KeyType,
  req: GenerateRequest,
): Promise<IssuedApiKey> {
  const db = ctx.store;
  const signer = ctx.apiKeySigner;
  const iat = Math.floor(ctx.clock.now() / 1000);
  const jti = newUuid();
  const lightweight = ctx.config.apim.key_manager.enable_lightweight_apikey_generation;
  const claims = buildApiKeyClaims({
    username,
    jti,
    issuer: ctx.urls.issuer,
    iat,
    validityPeriod: req.validityPeriod,
    application: app,
    keyType,
    permittedIP: req.permittedIP,
    permittedReferer: req.permittedReferer,
    full: lightweight ? null : await fullClaimData(db, app.id),
  });
  const apikey = signCompactJws({
    header: { x5t: x5tOfCert(signer.certificate, 'sha1'), kid: signer.alias, typ: 'JWT', alg: 'RS256' },
    payload: claims,
    privateKey: signer.privateKey,
    alg: 'RS256',
    padded: true,
  });
  const exp = expiryOf(iat, req.validityPeriod);
  const keys = apiKeysRepository(db);
  const row: ApiKeyRow = {
    jti,
    application_id: app.id,
    key_type: keyType,
    name: req.keyName ?? `API Key ${(await keys.countByApplication(app.id)) + 1}`,
    kid: signer.alias,
    issued_at: iat * 1000,
    expires_at: exp === null ? null : exp * 1000,
    permitted_ip: req.permittedIP,
    permitted_referer: req.permittedReferer,
    status: 'ACTIVE',
    revoked_at: null,
    last_used_at: null,
    issued_by: username,
  };
  await keys.insert(row);
  ctx.logger.info({ jti, application: app.uuid, keyType, kid: signer.alias }, 'api key issued');
  return { apikey, row };
}

/**
 * WSO2's revoke checks (§3.10) on a key presented by its holder: a compact JWS whose signature verifies with the
 * trust-store certificate named by `kid`, carrying an `application` claim equal to the path application.
 * @throws RestError INVALID_API_KEY (not a JWT, no jti/application claim), FORBIDDEN (untrusted signature,
 * another application's key)
 */
export function verifyKeyForRevocation(
  ctx: ControlPlaneContext,
  apikey: string,
  app: KeyApplication,
): { jti: string; expiresAt: number | null } {
  const jws = decodeCompactJws(apikey, 'wso2');
  if (typeof jws === 'string') throw new RestError('INVALID_API_KEY', INVALID_KEY);
  const { header, payload } = jws;
  const cert = trustedCertificate(ctx, header.kid);
  if (!cert || !verifyCompactJws(jws, cert)) {
    throw new RestError(
      'FORBIDDEN',
      'The API key signature could not be verified with a trusted certificate',
    );
  }
  const application = payload.application as { uuid?: unknown } | undefined;
  if (typeof application !== 'object' || application === null) {
    throw new RestError('INVALID_API_KEY', 'The API key carries no application claim');
  }
  if (application.uuid !== app.uuid) {
    throw new RestError('FORBIDDEN', `The API key was not issued to application ${app.uuid}`);
  }
  const jti = payload.jti;
  if (typeof jti !== 'string' || jti === '')
    throw new RestError('INVALID_API_KEY', 'The API key carries no jti claim');
  const exp = payload.exp;
  return { jti, expiresAt: typeof exp === 'number' && Number.isFinite(exp) ? Math.floor(exp * 1000) : null };
}

function trustedCertificate(ctx: ControlPlaneContext, kid: unknown): X509Certificate | undefined {
  if (typeof kid !== 'string' || kid === '') return undefined;
  const wanted = kid.toLowerCase();
  for (const [alias, pem] of Object.entries(ctx.trust.all())) {
    if (alias.toLowerCase() !== wanted) continue;
    try {
      return new X509Certificate(pem);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Records a revocation (revoked-token row for the gateway's snapshot, api_keys status) with its change-log row in
 * one transaction. Idempotent: revoking twice changes nothing and succeeds.
 */
export async function recordRevocation(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  jti: string,
  expiresAt: number | null,
): Promise<void> {
  const now = ctx.clock.now();
  const changed = await ctx.changes.write(async (trx, record) => {
    const added = await revokedTokensRepository(trx).insert({
      jti,
      token_type: API_KEY_TOKEN_TYPE,
      expires_at: expiresAt,
      revoked_at: now,
      consumer_key: null,
    });
    const marked = await apiKeysRepository(trx).markRevoked(jti, now);
    if (added || marked) record(changeKeys.revocation(jti));
    return added || marked;
  });
  if (changed) ctx.logger.info({ jti, application: app.uuid }, 'api key revoked');
}

/** `ACTIVE` | `REVOKED` | `EXPIRED`, computed at `now`. */
export function keyStatus(row: ApiKeyRow, now: number): 'ACTIVE' | 'REVOKED' | 'EXPIRED' {
  if (row.status === 'REVOKED') return 'REVOKED';
  if (row.expires_at !== null && row.expires_at <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/** The list item of `GET .../api-keys` (metadata only, never the key). */
export function toApiKeyInfo(row: ApiKeyRow, now: number) {
  return {
    keyId: row.jti,
    keyName: row.name,
    keyType: row.key_type,
    issuedTime: row.issued_at,
    expiryTime: row.expires_at,
    validityPeriod: row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000),
    permittedIP: row.permitted_ip,
    permittedReferer: row.permitted_referer,
    status: keyStatus(row, now),
    lastUsedTime: row.last_used_at,
  };
}
