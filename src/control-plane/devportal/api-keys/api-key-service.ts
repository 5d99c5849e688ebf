import { changeKeys, RestError, newUuid, type KeyType } from '../../../core/index.js';
import {
  decodeCompactJws,
  newOpaqueApiKey,
  opaqueKeyHash,
  signCompactJws,
  verifyCompactJws,
  x5tOfCert,
} from '../../../crypto/index.js';
import { X509Certificate } from 'node:crypto';
import { apiKeysRepository, type ApiKeyRow } from '../../../store/index.js';
import type { AuditActor, AuditEventInput } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { buildApiKeyClaims, expiryOf, fullClaimData, type KeyApplication } from './api-key-claims.js';
import type { GenerateRequest } from './api-key-request.js';

const INVALID_KEY = "Provided API Key isn't valid.";

/** What `generate` returns: the key (shown once) and the stored metadata. */
export interface IssuedApiKey {
  apikey: string;
  row: ApiKeyRow;
}

/** Who issues a key (audit log), and what it replaces when it is a regeneration. */
export interface IssueOptions {
  readonly actor: AuditActor;
  /** Default `[apim.devportal] api_key_format`. */
  readonly format?: 'jwt' | 'opaque';
  /** Set by a regeneration: the key it replaces and that key's grace (seconds, 0 = revoked at once). */
  readonly regenerates?: { readonly jti: string; readonly gracePeriod: number };
}

/**
 * Issues an API key in `format` (default `[apim.devportal] api_key_format`): a WSO2-format JWT (§2: padded
 * segments, header `{x5t, kid, typ, alg}`), or an opaque key stored only as its HMAC. Records its metadata
 * (never the key). Lightweight claims unless
 * `[apim.key_manager] enable_lightweight_apikey_generation = false`.
 */
export async function issueApiKey(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  username: string,
  keyType: KeyType,
  req: GenerateRequest,
  opts: IssueOptions,
): Promise<IssuedApiKey> {
  const format = opts.format ?? ctx.config.apim.devportal.api_key_format;
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
  const opaque = format === 'opaque';
  const apikey = opaque
    ? newOpaqueApiKey(ctx.config.apim.devportal.api_key_prefix)
    : signCompactJws({
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
    kid: opaque ? '' : signer.alias,
    issued_at: iat * 1000,
    expires_at: exp === null ? null : exp * 1000,
    permitted_ip: req.permittedIP,
    permitted_referer: req.permittedReferer,
    status: 'ACTIVE',
    revoked_at: null,
    last_used_at: null,
    issued_by: username,
    format,
    key_hash: opaque ? opaqueKeyHash(ctx.apiKeyHashSecret, apikey) : null,
    grace_expires_at: null,
    replaced_by: null,
    api_id: null,
  };
  const event: AuditEventInput = {
    action: opts.regenerates ? 'apikey.regenerated' : 'apikey.issued',
    actor: opts.actor,
    target: { type: 'api-key', id: jti, name: row.name },
    details: {
      application: app.uuid,
      keyType,
      format,
      validityPeriod: req.validityPeriod,
      ...(opts.regenerates
        ? { replaces: opts.regenerates.jti, gracePeriod: opts.regenerates.gracePeriod }
        : {}),
    },
  };
  // Opaque keys reach the gateways through the change log (they hold the key's HMAC); JWT keys carry themselves.
  if (opaque) {
    await ctx.changes.write(async (trx, record) => {
      await apiKeysRepository(trx).insert(row);
      record(changeKeys.apiKey(jti));
      await ctx.audit.record(event, trx);
    });
  } else {
    await ctx.store.transaction(async (trx) => {
      await apiKeysRepository(trx).insert(row);
      await ctx.audit.record(event, trx);
    });
  }
  ctx.logger.info({ jti, application: app.uuid, keyType, format, kid: row.kid }, 'api key issued');
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

/** The trust-store certificate whose alias is `kid` (case-insensitive), or undefined. */
export function trustedCertificate(ctx: ControlPlaneContext, kid: unknown): X509Certificate | undefined {
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
 * `ACTIVE` | `ROTATING` (regenerated, works until `grace_expires_at`) | `REVOKED` (also once a grace is over) |
 * `EXPIRED`, computed at `now`.
 */
export function keyStatus(row: ApiKeyRow, now: number): 'ACTIVE' | 'ROTATING' | 'REVOKED' | 'EXPIRED' {
  if (row.status === 'REVOKED') return 'REVOKED';
  if (row.expires_at !== null && row.expires_at <= now) return 'EXPIRED';
  if (row.grace_expires_at !== null) return row.grace_expires_at > now ? 'ROTATING' : 'REVOKED';
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
    format: row.format,
    graceExpiresAt: row.grace_expires_at,
  };
}

/**
 * WSO2 4.7 `APIKeyInfo` (`GET .../api-keys/{keyType}`): `keyUUID, keyName, issuedOn, validityPeriod, lastUsed`,
 * plus `validityTime` (what 4.4-era clients read), and Portico's `keyType`, `format`, `state`, `graceExpiresAt`.
 * Metadata only, never the key.
 */
export function toApiKeyInfoV47(row: ApiKeyRow, now: number) {
  const validityPeriod = row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000);
  return {
    keyUUID: row.jti,
    keyName: row.name,
    issuedOn: row.issued_at,
    validityPeriod,
    validityTime: validityPeriod,
    lastUsed: row.last_used_at,
    keyType: row.key_type,
    format: row.format,
    state: keyStatus(row, now),
    graceExpiresAt: row.grace_expires_at,
  };
}
