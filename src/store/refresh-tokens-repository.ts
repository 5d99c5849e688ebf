import type { Selectable } from 'kysely';
import type { RefreshTokensTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type RefreshTokenRow = Selectable<RefreshTokensTable>;

/** Refresh tokens, stored by SHA-256 hash and grouped in rotation families. */
export interface RefreshTokensRepository {
  insert(row: RefreshTokenRow): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRow | undefined>;
  /** Marks a token used; false when it was already used (a concurrent or replayed refresh). */
  markUsed(tokenHash: string, now: number): Promise<boolean>;
  /** Revokes every token of a family; returns how many were still live. */
  revokeFamily(familyId: string): Promise<number>;
  /** Revokes every refresh token of a client (secret regeneration, key deletion). */
  revokeByClient(clientId: string): Promise<number>;
}

/** The refresh tokens repository over the store or one of its transactions. */
export function refreshTokensRepository(q: Queryable): RefreshTokensRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('refresh_tokens').values(row).execute();
    },
    findByHash: (tokenHash) =>
      db.selectFrom('refresh_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    async markUsed(tokenHash, now) {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ used_at: now })
        .where('token_hash', '=', tokenHash)
        .where('used_at', 'is', null)
        .where('revoked', '=', 0)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async revokeFamily(familyId) {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ revoked: 1 })
        .where('family_id', '=', familyId)
        .where('revoked', '=', 0)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    async revokeByClient(clientId) {
      const r = await db
        .updateTable('refresh_tokens')
        .set({ revoked: 1 })
        .where('client_id', '=', clientId)
        .where('revoked', '=', 0)
        .executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
  };
}
