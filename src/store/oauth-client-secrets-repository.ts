import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import type { Database, OauthClientSecretsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type OauthClientSecretRow = Selectable<OauthClientSecretsTable>;

/** The client secrets of resident-key-manager OAuth clients (hashes only). */
export interface OauthClientSecretsRepository {
  insert(row: OauthClientSecretRow): Promise<void>;
  /** Every stored secret of the client, oldest first. */
  listByClient(clientId: string): Promise<OauthClientSecretRow[]>;
  /** Deletes one secret of the client; false when the client has no such secret. */
  delete(clientId: string, secretId: string): Promise<boolean>;
  /** Deletes every secret of the client (before the client itself). */
  deleteAll(clientId: string): Promise<void>;
  /** Deletes every secret of the client except `keepSecretId`. */
  deleteAllExcept(clientId: string, keepSecretId: string): Promise<void>;
  /** Sets the end of the grace of every secret of the client except `keepSecretId` (an earlier end is kept). */
  startGrace(clientId: string, keepSecretId: string, graceExpiresAt: number): Promise<void>;
  /** Deletes the client's secrets that can never be used again (grace over) at `now`. */
  deleteRetired(clientId: string, now: number): Promise<void>;
}

// `listByClient` runs on every secrets list and rotation: compile its SQL once per handle, only swap the parameter.
const compiledList = new WeakMap<Kysely<Database>, CompiledQuery<OauthClientSecretRow>>();

/** The client secrets repository over the store or one of its transactions. */
export function oauthClientSecretsRepository(q: Queryable): OauthClientSecretsRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('oauth_client_secrets').values(row).execute();
    },
    async listByClient(clientId) {
      let query = compiledList.get(db);
      if (!query) {
        query = db
          .selectFrom('oauth_client_secrets')
          .selectAll()
          .where('client_id', '=', '')
          .orderBy('created_at')
          .orderBy('secret_id')
          .compile();
        compiledList.set(db, query);
      }
      const result = await db.executeQuery<OauthClientSecretRow>({ ...query, parameters: [clientId] });
      return result.rows;
    },
    async delete(clientId, secretId) {
      const r = await db
        .deleteFrom('oauth_client_secrets')
        .where('client_id', '=', clientId)
        .where('secret_id', '=', secretId)
        .executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async deleteAll(clientId) {
      await db.deleteFrom('oauth_client_secrets').where('client_id', '=', clientId).execute();
    },
    async deleteAllExcept(clientId, keepSecretId) {
      await db
        .deleteFrom('oauth_client_secrets')
        .where('client_id', '=', clientId)
        .where('secret_id', '<>', keepSecretId)
        .execute();
    },
    async startGrace(clientId, keepSecretId, graceExpiresAt) {
      await db
        .updateTable('oauth_client_secrets')
        .set({ grace_expires_at: graceExpiresAt })
        .where('client_id', '=', clientId)
        .where('secret_id', '<>', keepSecretId)
        .where((eb) =>
          eb.or([eb('grace_expires_at', 'is', null), eb('grace_expires_at', '>', graceExpiresAt)]),
        )
        .execute();
    },
    async deleteRetired(clientId, now) {
      await db
        .deleteFrom('oauth_client_secrets')
        .where('client_id', '=', clientId)
        .where('grace_expires_at', '<=', now)
        .execute();
    },
  };
}
