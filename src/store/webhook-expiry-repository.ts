import { dbOf, type Queryable } from './open-store.js';

/** A credential that expires within a window, as the expiring-credentials job reads it. */
export interface ExpiringCredentialRow {
  /** `api-key` (id = jti) | `client-secret` (id = secret id). */
  readonly credentialType: 'api-key' | 'client-secret';
  readonly id: string;
  readonly name: string | null;
  readonly expiresAt: number;
  /** Application uuid (API keys; null for an API-bound key with none) or consumer key (client secrets). */
  readonly owner: string | null;
  readonly keyType: string | null;
}

/** Reads credentials about to expire and records which expiry notices were enqueued (migration 012). */
export interface WebhookExpiryRepository {
  /** Live API keys and client secrets with `after < expires_at <= until`. */
  expiringBetween(after: number, until: number): Promise<ExpiringCredentialRow[]>;
  /** The thresholds (days) already noticed for a credential. */
  noticed(credentialType: string, credentialId: string): Promise<number[]>;
  /** Records a notice; false when it was already recorded (another control plane got there first). */
  recordNotice(
    credentialType: string,
    credentialId: string,
    thresholdDays: number,
    at: number,
  ): Promise<boolean>;
}

/** The expiry-notices repository over the store or one of its transactions. */
export function webhookExpiryRepository(q: Queryable): WebhookExpiryRepository {
  const db = dbOf(q);
  return {
    async expiringBetween(after, until) {
      const keys = await db
        .selectFrom('api_keys')
        .leftJoin('applications', 'applications.id', 'api_keys.application_id')
        .select([
          'api_keys.jti',
          'api_keys.name',
          'api_keys.expires_at',
          'api_keys.key_type',
          'applications.uuid',
        ])
        .where('api_keys.status', '<>', 'REVOKED')
        .where('api_keys.expires_at', '>', after)
        .where('api_keys.expires_at', '<=', until)
        .execute();
      const secrets = await db
        .selectFrom('oauth_client_secrets')
        .select(['secret_id', 'client_id', 'description', 'expires_at'])
        .where('expires_at', '>', after)
        .where('expires_at', '<=', until)
        .where('grace_expires_at', 'is', null)
        .execute();
      return [
        ...keys.map((k) => ({
          credentialType: 'api-key' as const,
          id: k.jti,
          name: k.name,
          expiresAt: k.expires_at as number,
          owner: k.uuid,
          keyType: k.key_type,
        })),
        ...secrets.map((s) => ({
          credentialType: 'client-secret' as const,
          id: s.secret_id,
          name: s.description || null,
          expiresAt: s.expires_at as number,
          owner: s.client_id,
          keyType: null,
        })),
      ];
    },
    async noticed(type, id) {
      const rows = await db
        .selectFrom('webhook_expiry_notices')
        .select('threshold_days')
        .where('credential_type', '=', type)
        .where('credential_id', '=', id)
        .execute();
      return rows.map((r) => r.threshold_days);
    },
    async recordNotice(type, id, days, at) {
      const r = await db
        .insertInto('webhook_expiry_notices')
        .values({ credential_type: type, credential_id: id, threshold_days: days, noticed_at: at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
  };
}
