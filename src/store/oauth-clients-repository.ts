import type { CompiledQuery, Kysely, Selectable } from 'kysely';
import type { Database, OauthClientSecretsTable, OauthClientsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type OauthClientRow = Selectable<OauthClientsTable>;

/** What deciding a client's usable secrets needs of one stored secret. */
export type StoredSecretState = Pick<
  Selectable<OauthClientSecretsTable>,
  'secret_hash' | 'expires_at' | 'grace_expires_at'
>;

/**
 * A client as the token endpoint authenticates it: its row, its stored secrets (oldest first) and the token type
 * of its application (null for clients of no application, or whose application is gone), read in one query.
 */
export interface ClientForAuthentication {
  client: OauthClientRow;
  secrets: StoredSecretState[];
  applicationTokenType: string | null;
}

/** OAuth clients of the resident key manager. The secret is stored only as a hash. */
export interface OauthClientsRepository {
  insert(row: OauthClientRow): Promise<void>;
  find(clientId: string): Promise<OauthClientRow | undefined>;
  /**
   * The client with its secrets and its application's token type, in one statement (one consistent read, one
   * round trip on PostgreSQL): what a token request needs before it signs.
   */
  findForAuthentication(clientId: string): Promise<ClientForAuthentication | undefined>;
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

// `find` runs on every REST bearer-token check, `findForAuthentication` on every token request: compile their SQL
// once per handle and only swap the parameter.
const compiledFind = new WeakMap<Kysely<Database>, CompiledQuery<OauthClientRow>>();
const compiledForAuthentication = new WeakMap<Kysely<Database>, CompiledQuery<AuthenticationRow>>();

/** One row of the authentication query: the client, then one of its secrets (all null when it has none). */
type AuthenticationRow = OauthClientRow & {
  s_secret_hash: string | null;
  s_expires_at: number | null;
  s_grace_expires_at: number | null;
  a_token_type: string | null;
};

function authenticationQuery(db: Kysely<Database>): CompiledQuery<AuthenticationRow> {
  return db
    .selectFrom('oauth_clients as c')
    .leftJoin('oauth_client_secrets as s', 's.client_id', 'c.client_id')
    .leftJoin('applications as a', 'a.id', 'c.application_id')
    .selectAll('c')
    .select([
      's.secret_hash as s_secret_hash',
      's.expires_at as s_expires_at',
      's.grace_expires_at as s_grace_expires_at',
      'a.token_type as a_token_type',
    ])
    .where('c.client_id', '=', '')
    .orderBy('s.created_at')
    .orderBy('s.secret_id')
    .compile() as CompiledQuery<AuthenticationRow>;
}

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
    async findForAuthentication(clientId) {
      let query = compiledForAuthentication.get(db);
      if (!query) {
        query = authenticationQuery(db);
        compiledForAuthentication.set(db, query);
      }
      const { rows } = await db.executeQuery<AuthenticationRow>({ ...query, parameters: [clientId] });
      const first = rows[0];
      if (!first) return undefined;
      const client: OauthClientRow = {
        client_id: first.client_id,
        secret_hash: first.secret_hash,
        name: first.name,
        owner: first.owner,
        grant_types: first.grant_types,
        callback_url: first.callback_url,
        application_id: first.application_id,
        key_type: first.key_type,
        created_at: first.created_at,
        updated_at: first.updated_at,
      };
      const secrets: StoredSecretState[] = [];
      for (const r of rows) {
        if (r.s_secret_hash === null) continue;
        secrets.push({
          secret_hash: r.s_secret_hash,
          expires_at: r.s_expires_at,
          grace_expires_at: r.s_grace_expires_at,
        });
      }
      return { client, secrets, applicationTokenType: first.a_token_type };
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
