import type { Selectable } from 'kysely';
import type { AccessTokensTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type AccessTokenRow = Selectable<AccessTokensTable>;

/** Opaque access tokens of `OAUTH` applications, by HMAC (the token itself is never stored). */
export interface AccessTokensRepository {
  insert(row: AccessTokenRow): Promise<void>;
  findByHash(tokenHash: string): Promise<AccessTokenRow | undefined>;
  /** Marks a token revoked; false when it is unknown or already revoked (the first `revoked_at` is kept). */
  markRevoked(tokenId: string, at: number): Promise<boolean>;
  /** Ids of the unrevoked tokens of a client (to revoke them all with the client's keys). */
  liveIdsByClient(clientId: string, now: number): Promise<string[]>;
  /**
   * What gateways must hold (`Snapshot.accessTokens`): unrevoked, unexpired tokens; with `tokenIds`, only those.
   */
  gatewayTokens(now: number, tokenIds?: readonly string[]): Promise<AccessTokenRow[]>;
  /** Deletes rows that expired before `before` (epoch ms); returns how many. */
  pruneExpired(before: number): Promise<number>;
}

/** The access tokens repository over the store or one of its transactions. */
export function accessTokensRepository(q: Queryable): AccessTokensRepository {
  const db = dbOf(q);
  const live = (now: number) =>
    db
      .selectFrom('access_tokens')
      .selectAll()
      .where('revoked_at', 'is', null)
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
  return {
    async insert(row) {
      await db.insertInto('access_tokens').values(row).execute();
    },
    findByHash: (tokenHash) =>
      db.selectFrom('access_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst(),
    async markRevoked(tokenId, at) {
      const r = await db
        .updateTable('access_tokens')
        .set({ revoked_at: at })
        .where('token_id', '=', tokenId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) === 1;
    },
    async liveIdsByClient(clientId, now) {
      const rows = await live(now).where('client_id', '=', clientId).execute();
      return rows.map((r) => r.token_id);
    },
    async gatewayTokens(now, tokenIds) {
      if (tokenIds?.length === 0) return [];
      let q = live(now);
      if (tokenIds) q = q.where('token_id', 'in', [...tokenIds]);
      return q.orderBy('token_id').execute();
    },
    async pruneExpired(before) {
      const r = await db.deleteFrom('access_tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
