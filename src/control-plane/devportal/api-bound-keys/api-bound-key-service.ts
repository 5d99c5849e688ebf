import { changeKeys, newUuid, RestError, type KeyType } from '../../../core/index.js';
import { hasValidChecksum, newOpaqueApiKey, opaqueKeyHash } from '../../../crypto/index.js';
import {
  apiKeysRepository,
  applicationsRepository,
  type ApiKeyRow,
  type ApplicationRow,
} from '../../../store/index.js';
import type { AuditActor } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import type { ApiDto } from '../../publisher/index.js';
import { keyStatus, recordRevocation, type GenerateRequest } from '../api-keys/index.js';

/** What `generate`/`regenerate` return: the key (shown once) and its stored metadata. */
export interface IssuedBoundKey {
  apikey: string;
  row: ApiKeyRow;
}

/**
 * Issues an API-bound key (WSO2 4.7) for `api`: always opaque (`<prefix>_<random>_<crc32>`, stored only as its
 * HMAC), because its association with an application may change after issuance and must reach the gateways
 * through the snapshot, which a self-contained JWT could not follow. No application until associated.
 * @throws RestError API_KEYS_NOT_ENABLED (the API does not enable `api_key`)
 */
export async function issueBoundKey(
  ctx: ControlPlaneContext,
  api: ApiDto,
  username: string,
  keyType: KeyType,
  req: GenerateRequest,
  actor: AuditActor,
  applicationId: number | null = null,
): Promise<IssuedBoundKey> {
  if (!api.securityScheme.includes('api_key')) {
    throw new RestError('API_KEYS_NOT_ENABLED', `API ${api.id} does not accept API keys`);
  }
  const now = ctx.clock.now();
  const iat = Math.floor(now / 1000);
  const apikey = newOpaqueApiKey(ctx.config.apim.devportal.api_key_prefix);
  const keys = apiKeysRepository(ctx.store);
  const row: ApiKeyRow = {
    jti: newUuid(),
    application_id: applicationId,
    api_id: api.id,
    key_type: keyType,
    name: req.keyName ?? `API Key ${(await keys.countByApi(api.id, username)) + 1}`,
    kid: '',
    issued_at: iat * 1000,
    expires_at: req.validityPeriod === -1 ? null : (iat + req.validityPeriod) * 1000,
    permitted_ip: req.permittedIP,
    permitted_referer: req.permittedReferer,
    status: 'ACTIVE',
    revoked_at: null,
    last_used_at: null,
    issued_by: username,
    format: 'opaque',
    key_hash: opaqueKeyHash(ctx.apiKeyHashSecret, apikey),
    grace_expires_at: null,
    replaced_by: null,
  };
  await ctx.changes.write(async (trx, record) => {
    await apiKeysRepository(trx).insert(row);
    record(changeKeys.apiKey(row.jti));
    await ctx.audit.record(
      {
        action: 'apikey.issued',
        actor,
        target: { type: 'api-key', id: row.jti, name: row.name },
        details: { api: api.id, keyType, format: 'opaque', apiBound: true },
      },
      trx,
    );
  });
  ctx.logger.info({ jti: row.jti, api: api.id, keyType, format: 'opaque' }, 'api-bound key issued');
  return { apikey, row };
}

/** The caller's API-bound key `keyUUID` of `api`. @throws RestError API_KEY_NOT_FOUND (also another user's) */
export async function ownedBoundKey(
  ctx: ControlPlaneContext,
  apiId: string,
  username: string,
  keyUUID: string,
): Promise<ApiKeyRow> {
  const row = await apiKeysRepository(ctx.store).findByJti(keyUUID);
  if (!row || row.api_id !== apiId || row.issued_by !== username) {
    throw new RestError('API_KEY_NOT_FOUND', `API key ${keyUUID} not found`);
  }
  return row;
}

/**
 * The caller's API-bound key of `apiId` named by a revoke body: `keyUUID`, or (Portico) the key value `apikey`.
 * @throws RestError VALIDATION_FAILED (neither), INVALID_API_KEY (not an opaque key, wrong checksum),
 * API_KEY_NOT_FOUND
 */
export async function boundKeyToRevoke(
  ctx: ControlPlaneContext,
  apiId: string,
  username: string,
  body: { keyUUID?: string; apikey?: string },
): Promise<ApiKeyRow> {
  if (typeof body.keyUUID === 'string' && body.keyUUID.trim() !== '') {
    return ownedBoundKey(ctx, apiId, username, body.keyUUID);
  }
  const value = body.apikey;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new RestError(
      'VALIDATION_FAILED',
      'The body must be an APIAPIKeyRevokeRequest {"keyUUID": "<id>"} (or {"apikey": "<key>"})',
    );
  }
  if (!hasValidChecksum(value)) throw new RestError('INVALID_API_KEY', "Provided API Key isn't valid.");
  const row = await apiKeysRepository(ctx.store).findByHash(opaqueKeyHash(ctx.apiKeyHashSecret, value));
  if (!row || row.api_id !== apiId || row.issued_by !== username) {
    throw new RestError('API_KEY_NOT_FOUND', 'The API key is not known');
  }
  return row;
}

/**
 * Regenerates an API-bound key: a new key with the old one's name, key type, restrictions, validity period and
 * association. Without a grace the old key is revoked at once; with `gracePeriod` seconds it keeps working until
 * then (state `ROTATING`). @throws RestError API_KEY_NOT_ACTIVE (revoked, expired or already rotating)
 */
export async function regenerateBoundKey(
  ctx: ControlPlaneContext,
  api: ApiDto,
  old: ApiKeyRow,
  gracePeriod: number,
  actor: AuditActor,
): Promise<IssuedBoundKey> {
  if (keyStatus(old, ctx.clock.now()) !== 'ACTIVE') {
    throw new RestError('API_KEY_NOT_ACTIVE', `API key ${old.jti} is not active and cannot be regenerated`);
  }
  const validityPeriod =
    old.expires_at === null ? -1 : Math.max(1, Math.round((old.expires_at - old.issued_at) / 1000));
  const keyType: KeyType = old.key_type === 'SANDBOX' ? 'SANDBOX' : 'PRODUCTION';
  const issued = await issueBoundKey(
    ctx,
    api,
    old.issued_by,
    keyType,
    {
      validityPeriod,
      keyName: old.name,
      permittedIP: old.permitted_ip,
      permittedReferer: old.permitted_referer,
    },
    actor,
    old.application_id,
  );
  if (gracePeriod === 0) {
    await recordRevocation(ctx, { jti: old.jti, expiresAt: old.expires_at, actor, why: 'regenerated' });
  } else {
    const until = ctx.clock.now() + gracePeriod * 1000;
    await ctx.changes.write(async (trx, record) => {
      if (await apiKeysRepository(trx).startGrace(old.jti, until, issued.row.jti)) {
        record(changeKeys.apiKey(old.jti));
        await ctx.audit.record(
          {
            action: 'apikey.regenerated',
            actor,
            target: { type: 'api-key', id: old.jti, name: old.name },
            details: { api: api.id, replacedBy: issued.row.jti, gracePeriod },
          },
          trx,
        );
      }
    });
    ctx.logger.info({ jti: old.jti, api: api.id, graceSeconds: gracePeriod }, 'api-bound key rotating');
  }
  return issued;
}

/**
 * Associates an API-bound key with one of the caller's applications: from then on the gateway calls the API as
 * that application (its subscription is required unless the API is subscriptionless; its throttling applies).
 * Associating again with the same application changes nothing.
 * @throws RestError API_KEY_NOT_ACTIVE (revoked or expired), API_KEY_ALREADY_ASSOCIATED (another application)
 */
export async function associateBoundKey(
  ctx: ControlPlaneContext,
  row: ApiKeyRow,
  application: ApplicationRow,
  actor: AuditActor,
): Promise<void> {
  const state = keyStatus(row, ctx.clock.now());
  if (state === 'REVOKED' || state === 'EXPIRED') {
    throw new RestError('API_KEY_NOT_ACTIVE', `API key ${row.jti} is ${state.toLowerCase()}`);
  }
  if (row.application_id !== null && row.application_id !== application.id) {
    throw new RestError(
      'API_KEY_ALREADY_ASSOCIATED',
      `API key ${row.jti} is associated with another application: dissociate it first`,
    );
  }
  await ctx.changes.write(async (trx, record) => {
    if (await apiKeysRepository(trx).setAssociation(row.jti, application.id)) {
      record(changeKeys.apiKey(row.jti));
      await ctx.audit.record(
        {
          action: 'apikey.associated',
          actor,
          target: { type: 'api-key', id: row.jti, name: row.name },
          details: { api: row.api_id, application: application.uuid },
        },
        trx,
      );
    }
  });
  ctx.logger.info(
    { jti: row.jti, api: row.api_id, application: application.uuid },
    'api-bound key associated',
  );
}

/** Removes an API-bound key's association (idempotent: a key with none stays as it is). */
export async function dissociateBoundKey(
  ctx: ControlPlaneContext,
  row: ApiKeyRow,
  actor: AuditActor,
): Promise<void> {
  await ctx.changes.write(async (trx, record) => {
    if (!(await apiKeysRepository(trx).setAssociation(row.jti, null))) return;
    record(changeKeys.apiKey(row.jti));
    await ctx.audit.record(
      {
        action: 'apikey.dissociated',
        actor,
        target: { type: 'api-key', id: row.jti, name: row.name },
        details: { api: row.api_id },
      },
      trx,
    );
  });
  ctx.logger.info({ jti: row.jti, api: row.api_id }, 'api-bound key dissociated');
}

/** The applications keys are associated with (name and uuid), by application id. */
export async function associatedApplications(
  ctx: ControlPlaneContext,
  rows: readonly ApiKeyRow[],
): Promise<Map<number, { name: string; uuid: string }>> {
  const out = new Map<number, { name: string; uuid: string }>();
  const apps = applicationsRepository(ctx.store);
  for (const id of new Set(rows.map((r) => r.application_id))) {
    if (id === null) continue;
    const app = await apps.findById(id);
    if (app) out.set(id, { name: app.name, uuid: app.uuid });
  }
  return out;
}

/**
 * WSO2 4.7 `APIAPIKeyInfo` (`GET /apis/{apiId}/api-keys`): `keyUUID, keyName, associatedApp, issuedOn,
 * validityPeriod, lastUsed`, plus `validityTime` (what 4.4-era clients read) and Portico's `keyType`,
 * `associatedAppId`, `state`, `graceExpiresAt`. Metadata only, never the key.
 */
export function toBoundKeyInfo(row: ApiKeyRow, app: { name: string; uuid: string } | undefined, now: number) {
  const validityPeriod = row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000);
  return {
    keyUUID: row.jti,
    keyName: row.name,
    associatedApp: app?.name ?? null,
    associatedAppId: app?.uuid ?? null,
    issuedOn: row.issued_at,
    validityPeriod,
    validityTime: validityPeriod,
    lastUsed: row.last_used_at,
    keyType: row.key_type,
    state: keyStatus(row, now),
    graceExpiresAt: row.grace_expires_at,
  };
}
