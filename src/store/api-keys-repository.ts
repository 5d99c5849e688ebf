import type { Selectable } from 'kysely';
import type { ApiKeysTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type ApiKeyRow = Selectable<ApiKeysTable>;

/** Metadata of issued API keys (the key value itself is never stored). */
export interface ApiKeysRepository {
  insert(row: ApiKeyRow): Promise<void>;
  findByJti(jti: string): Promise<ApiKeyRow | undefined>;
  /** Keys of one application, newest first. */
  listByApplication(applicationId: number): Promise<ApiKeyRow[]>;
  countByApplication(applicationId: number): Promise<number>;
  /** Marks a key revoked; false when it is unknown or already revoked (the first `revoked_at` is kept). */
  markRevoked(jti: string, at: number): Promise<boolean>;
  /** Moves `last_used_at` forward (never back); true when the row changed. */
  touchLastUsed(jti: string, at: number): Promise<boolean>;
  /** The opaque key whose HMAC is `keyHash`. */
  findByHash(keyHash: string): Promise<ApiKeyRow | undefined>;
  /**
   * Starts the grace of a regenerated key: it works until `graceExpiresAt`, `replaced_by` names its successor.
   * False when the key is unknown, revoked or already rotating.
   */
  startGrace(jti: string, graceExpiresAt: number, replacedBy: string): Promise<boolean>;
  /**
   * What gateways must hold per key (`Snapshot.apiKeys`): unrevoked, unexpired opaque keys, and keys that have
   * been rotating (also after their grace, so the gateway keeps refusing a still-unexpired JWT); with `jtis`, only
   * those.
   */
  gatewayKeys(now: number, jtis?: readonly string[]): Promise<ApiKeyRow[]>;
  /**
   * JWT API keys a gateway still accepts at `now` (unrevoked, unexpired, not past a rotation grace), counted per
   * signing certificate (`kid` = trust-store alias), with the latest expiry (null: one never expires).
   */
  liveJwtKeysBySigningCert(now: number): Promise<SigningCertUsage[]>;
}

/** Live JWT API keys signed under one trust-store alias. */
export interface SigningCertUsage {
  kid: string;
  liveKeys: number;
  /** Latest `expires_at` of those keys; null when at least one never expires. */
  latestExpiry: number | null;
}

/** The API keys repository over the store or one of its transactions. */
export function apiKeysRepository(q: Queryable): ApiKeysRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('api_keys').values(row).execute();
    },
    findByJti: (jti) => db.selectFrom('api_keys').selectAll().where('jti', '=', jti).executeTakeFirst(),
    listByApplication: (applicationId) =>
      db
        .selectFrom('api_keys')
        .selectAll()
        .where('application_id', '=', applicationId)
        .orderBy('issued_at', 'desc')
        .orderBy('jti')
        .execute(),
    async countByApplication(applicationId) {
      const r = await db
        .selectFrom('api_keys')
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .where('application_id', '=', applicationId)
        .executeTakeFirstOrThrow();
      return Number(r.n);
    },
    async markRevoked(jti, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ status: 'REVOKED', revoked_at: at })
        .where('jti', '=', jti)
        .where('status', '<>', 'REVOKED')
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async touchLastUsed(jti, at) {
      const r = await db
        .updateTable('api_keys')
        .set({ last_used_at: at })
        .where('jti', '=', jti)
        .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', at)]))
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    findByHash: (keyHash) =>
      db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst(),
    async startGrace(jti, graceExpiresAt, replacedBy) {
      const r = await db
        .updateTable('api_keys')
        .set({ grace_expires_at: graceExpiresAt, replaced_by: replacedBy })
        .where('jti', '=', jti)
        .where('status', '<>', 'REVOKED')
        .where('grace_expires_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async gatewayKeys(now, jtis) {
      if (jtis?.length === 0) return [];
      let q = db
        .selectFrom('api_keys')
        .selectAll()
        .where('status', '<>', 'REVOKED')
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .where((eb) => eb.or([eb('format', '=', 'opaque'), eb('grace_expires_at', 'is not', null)]));
      if (jtis) q = q.where('jti', 'in', jtis);
      return q.orderBy('jti').execute();
    },
    async liveJwtKeysBySigningCert(now) {
      const rows = await db
        .selectFrom('api_keys')
        .select((eb) => [
          'kid',
          eb.fn.countAll<number | string>().as('n'),
          eb.fn.max('expires_at').as('latest'),
          eb.fn.count<number | string>('expires_at').as('expiring'),
        ])
        .where('format', '=', 'jwt')
        .where('status', '<>', 'REVOKED')
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
        .where((eb) => eb.or([eb('grace_expires_at', 'is', null), eb('grace_expires_at', '>', now)]))
        .groupBy('kid')
        .orderBy('kid')
        .execute();
      return rows.map((r) => ({
        kid: r.kid,
        liveKeys: Number(r.n),
        // count(expires_at) skips NULLs: fewer than all means one key never expires.
        latestExpiry: Number(r.expiring) < Number(r.n) || r.latest === null ? null : Number(r.latest),
      }));
    },
  };
}
