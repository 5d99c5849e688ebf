import type { Selectable } from 'kysely';
import type { RevokedTokensTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type RevokedTokenRow = Selectable<RevokedTokensTable>;

/** Revoked access tokens and API keys by jti, kept until they would have expired. */
export interface RevokedTokensRepository {
  /** Records a revocation; false when the jti was already revoked. */
  insert(row: RevokedTokenRow): Promise<boolean>;
  isRevoked(jti: string): Promise<boolean>;
  /** Deletes entries whose token has expired anyway. */
  prune(now: number): Promise<number>;
}

/** The revoked tokens repository over the store or one of its transactions. */
export function revokedTokensRepository(q: Queryable): RevokedTokensRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      const r = await db
        .insertInto('revoked_tokens')
        .values(row)
        .onConflict((oc) => oc.column('jti').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    },
    async isRevoked(jti) {
      const row = await db
        .selectFrom('revoked_tokens')
        .select('jti')
        .where('jti', '=', jti)
        .executeTakeFirst();
      return row !== undefined;
    },
    async prune(now) {
      const r = await db.deleteFrom('revoked_tokens').where('expires_at', '<', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
