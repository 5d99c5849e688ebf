import { changeKeys } from '../../../core/index.js';
import {
  apiKeysRepository,
  revokedTokensRepository,
  type RecordChange,
  type StoreTransaction,
} from '../../../store/index.js';
import type { AuditActor } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';

/** The `revoked_tokens.token_type` of API keys. */
export const API_KEY_TOKEN_TYPE = 'API_KEY';

/** One API-key revocation: which key, under which application (if any), by whom and why. */
export interface ApiKeyRevocation {
  readonly jti: string;
  /** The key's expiry (ms), so the gateway's revocation list can drop it then; null for a key that never expires. */
  readonly expiresAt: number | null;
  /**
   * The application the key is revoked under, named in the audit event and the log. Absent for an API-bound key
   * without one, or a leak-reported key whose application is gone.
   */
  readonly application?: { readonly uuid: string } | undefined;
  readonly actor: AuditActor;
  readonly why?: 'revoked' | 'regenerated';
}

/**
 * Revokes an API key inside `trx`: the revoked-token row (the gateways' snapshot), the `api_keys` status, their
 * change-log rows (the key's own delta too when a gateway holds it: opaque, in a grace or API-bound) and the
 * `apikey.revoked` audit event. For a caller that writes more in the same transaction (a leak report).
 * Idempotent: true when it changed anything, false for a key revoked already.
 */
export async function revokeApiKeyIn(
  ctx: ControlPlaneContext,
  trx: StoreTransaction,
  record: RecordChange,
  r: ApiKeyRevocation,
): Promise<boolean> {
  const now = ctx.clock.now();
  const added = await revokedTokensRepository(trx).insert({
    jti: r.jti,
    token_type: API_KEY_TOKEN_TYPE,
    expires_at: r.expiresAt,
    revoked_at: now,
    consumer_key: null,
  });
  const keys = apiKeysRepository(trx);
  const row = await keys.findByJti(r.jti);
  const marked = await keys.markRevoked(r.jti, now);
  if (!added && !marked) return false;
  record(changeKeys.revocation(r.jti));
  const heldByGateways = row?.format === 'opaque' || row?.grace_expires_at != null || row?.api_id != null;
  if (marked && heldByGateways) record(changeKeys.apiKey(r.jti));
  await ctx.audit.record(
    {
      action: 'apikey.revoked',
      actor: r.actor,
      target: { type: 'api-key', id: r.jti, name: row?.name ?? null },
      details: {
        ...(r.application ? { application: r.application.uuid } : {}),
        ...(row?.api_id != null ? { api: row.api_id } : {}),
        keyType: row?.key_type ?? null,
        cause: r.why ?? 'revoked',
      },
    },
    trx,
  );
  return true;
}

/** Logs a revocation that changed something (after its commit). */
export function logRevocation(ctx: ControlPlaneContext, r: ApiKeyRevocation): void {
  ctx.logger.info({ jti: r.jti, application: r.application?.uuid }, 'api key revoked');
}

/**
 * Records a revocation ({@link revokeApiKeyIn}) in a transaction of its own, application keys and API-bound keys
 * alike. Idempotent: revoking twice changes nothing and succeeds.
 */
export async function recordRevocation(ctx: ControlPlaneContext, r: ApiKeyRevocation): Promise<void> {
  if (await ctx.changes.write((trx, record) => revokeApiKeyIn(ctx, trx, record, r))) logRevocation(ctx, r);
}
