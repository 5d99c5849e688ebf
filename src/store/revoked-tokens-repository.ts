import type { Kysely, Selectable } from 'kysely';
import type { Database, RevokedTokensTable } from './schema.js';

export type RevokedTokenRow = Selectable<RevokedTokensTable>;

/** Revoked access tokens and API keys by jti, kept until they would have expired. */
export interface RevokedTokensRepository {
  /** Records a revocation; false when the jti was already revoked. */
  insert(row: RevokedTokenRow): Promise<boolean>;
  isRevoked(jti: string): Promise<boolean>;
  /** Deletes entries whose token has expired anyway. */
  prune(now: number): Promise<number>;
}

/** The revoked tokens repository over a Kysely handle (or a transaction). */
export function revokedTokensRepository(db: Kysely<Database>): RevokedTokensRepository {
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
      const r = await db.deleteFrom('revoked_tokens').where('expires_at', '<=', now).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
