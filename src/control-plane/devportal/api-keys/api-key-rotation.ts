import { changeKeys, RestError, type KeyType } from '../../../core/index.js';
import { hasValidChecksum, opaqueKeyHash } from '../../../crypto/index.js';
import { apiKeysRepository, type ApiKeyRow } from '../../../store/index.js';
import type { AuditActor } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import type { KeyApplication } from './api-key-claims.js';
import { recordRevocation } from './api-key-revocation.js';
import { issueApiKey, keyStatus, type IssuedApiKey } from './api-key-service.js';

/** Longest rotation grace: 30 days. */
export const MAX_GRACE_SECONDS = 30 * 24 * 3600;

/** A validated `APIKeyRenewRequest` (`keyUUID`) with Portico's optional `gracePeriod` (seconds, 0 = none). */
export function parseRenewRequest(body: unknown): { keyUUID: string; gracePeriod: number } {
  const b = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof b.keyUUID !== 'string' || b.keyUUID.trim() === '' || b.keyUUID.length > 200) {
    throw new RestError('VALIDATION_FAILED', 'The body must be an APIKeyRenewRequest {"keyUUID": "<id>"}');
  }
  const g = b.gracePeriod ?? 0;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > MAX_GRACE_SECONDS) {
    throw new RestError(
      'VALIDATION_FAILED',
      `gracePeriod must be a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}`,
    );
  }
  return { keyUUID: b.keyUUID, gracePeriod: g };
}

/** The application's key `keyUUID` of `keyType`. @throws RestError API_KEY_NOT_FOUND */
export async function ownedKey(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  keyUUID: string,
  keyType: KeyType | null,
): Promise<ApiKeyRow> {
  const row = await apiKeysRepository(ctx.store).findByJti(keyUUID);
  // An API-bound key associated with the application is not one of its keys (`/apis/{apiId}/api-keys` manages it).
  if (
    !row ||
    row.application_id !== app.id ||
    row.api_id !== null ||
    (keyType !== null && row.key_type !== keyType)
  ) {
    throw new RestError('API_KEY_NOT_FOUND', `API key ${keyUUID} not found`);
  }
  return row;
}

/**
 * Regenerates key `keyUUID`: a new key (in the configured format) with the old one's name, restrictions and
 * validity period. Without a grace the old key is revoked at once; with `gracePeriod` seconds it keeps working
 * until then (state `ROTATING`, `graceExpiresAt`), enforced by the gateways from the snapshot.
 * @throws RestError API_KEY_NOT_FOUND, API_KEY_NOT_ACTIVE (revoked, expired or already rotating: 409)
 */
export async function regenerateApiKey(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  username: string,
  keyType: KeyType,
  keyUUID: string,
  gracePeriod: number,
  actor: AuditActor,
): Promise<IssuedApiKey> {
  const old = await ownedKey(ctx, app, keyUUID, keyType);
  if (keyStatus(old, ctx.clock.now()) !== 'ACTIVE') {
    throw new RestError('API_KEY_NOT_ACTIVE', `API key ${keyUUID} is not active and cannot be regenerated`);
  }
  const validityPeriod =
    old.expires_at === null ? -1 : Math.max(1, Math.round((old.expires_at - old.issued_at) / 1000));
  const issued = await issueApiKey(
    ctx,
    app,
    username,
    keyType,
    {
      validityPeriod,
      keyName: old.name,
      permittedIP: old.permitted_ip,
      permittedReferer: old.permitted_referer,
    },
    { actor, regenerates: { jti: old.jti, gracePeriod } },
  );
  if (gracePeriod === 0) {
    await recordRevocation(ctx, {
      jti: old.jti,
      expiresAt: old.expires_at,
      application: app,
      actor,
      why: 'regenerated',
    });
  } else {
    const until = ctx.clock.now() + gracePeriod * 1000;
    await ctx.changes.write(async (trx, record) => {
      if (await apiKeysRepository(trx).startGrace(old.jti, until, issued.row.jti)) {
        record(changeKeys.apiKey(old.jti));
      }
    });
    ctx.logger.info({ jti: old.jti, application: app.uuid, graceSeconds: gracePeriod }, 'api key rotating');
  }
  return issued;
}

/**
 * The key a revoke request names: `keyUUID`, or the key value (an opaque key by its HMAC; a JWT key is checked
 * by the caller as WSO2 does). Returns null for a JWT value.
 * @throws RestError VALIDATION_FAILED (neither given), INVALID_API_KEY (an opaque-looking value with a wrong
 * checksum), API_KEY_NOT_FOUND, FORBIDDEN (another application's opaque key)
 */
export async function keyToRevoke(
  ctx: ControlPlaneContext,
  app: KeyApplication,
  body: unknown,
): Promise<ApiKeyRow | { jwt: string }> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof b.keyUUID === 'string' && b.keyUUID.trim() !== '' && b.keyUUID.length <= 200) {
    return ownedKey(ctx, app, b.keyUUID, null);
  }
  if (typeof b.apikey !== 'string' || b.apikey.trim() === '') {
    throw new RestError(
      'VALIDATION_FAILED',
      'The body must be an APIKeyRevokeRequest {"apikey": "<key>"} or {"keyUUID": "<id>"}',
    );
  }
  if (b.apikey.includes('.')) return { jwt: b.apikey };
  if (!hasValidChecksum(b.apikey)) throw new RestError('INVALID_API_KEY', "Provided API Key isn't valid.");
  const row = await apiKeysRepository(ctx.store).findByHash(opaqueKeyHash(ctx.apiKeyHashSecret, b.apikey));
  if (!row) throw new RestError('API_KEY_NOT_FOUND', 'The API key is not known');
  if (row.application_id !== app.id) {
    throw new RestError('FORBIDDEN', `The API key was not issued to application ${app.uuid}`);
  }
  return row;
}
