import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import type { Database, OauthClientsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type OauthClientRow = Selectable<OauthClientsTable>;

/** OAuth clients of the resident key manager. The secret is stored only as a hash. */
export interface OauthClientsRepository {
  insert(row: OauthClientRow): Promise<void>;
  find(clientId: string): Promise<OauthClientRow | undefined>;
  updateSecretHash(clientId: string, secretHash: string, now: number): Promise<boolean>;
  update(
    clientId: string,
    fields: Partial<
      Pick<OauthClientRow, 'grant_types' | 'callback_url' | 'application_id' | 'key_type' | 'name'>
    > & {
      updated_at: number;
    },
  ): Promise<boolean>;
  delete(clientId: string): Promise<boolean>;
}

// `find` runs on every token request: compile its SQL once per handle and only swap the parameter.
const compiledFind = new WeakMap<Kysely<Database>, CompiledQuery<OauthClientRow>>();

/** The OAuth clients repository over the store or one of its transactions. */
export function oauthClientsRepository(q: Queryable): OauthClientsRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('oauth_clients').values(row).execute();
    },
    async find(clientId) {
      let query = compiledFind.get(db);
      if (!query) {
        query = db.selectFrom('oauth_clients').selectAll().where('client_id', '=', '').compile();
        compiledFind.set(db, query);
      }
      const result = await db.executeQuery<OauthClientRow>({ ...query, parameters: [clientId] });
      return result.rows[0];
    },
    async updateSecretHash(clientId, secretHash, now) {
      const r = await db
        .updateTable('oauth_clients')
        .set({ secret_hash: secretHash, updated_at: now })
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async update(clientId, fields) {
      const r = await db
        .updateTable('oauth_clients')
        .set(fields)
        .where('client_id', '=', clientId)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(clientId) {
      const r = await db.deleteFrom('oauth_clients').where('client_id', '=', clientId).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
