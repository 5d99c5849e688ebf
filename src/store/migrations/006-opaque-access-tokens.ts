import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Opaque access tokens of `OAUTH` applications (`access_tokens`): one row per issued token, found by `token_hash`
 * (HMAC-SHA-256 of the token under the server secret, base64url, unique); the token is never stored.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('access_tokens')
    .addColumn('token_id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'integer', (c) => c.notNull())
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('aut', 'text', (c) => c.notNull())
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('issued_at', bigint, (c) => c.notNull())
    .addColumn('expires_at', bigint)
    .addColumn('revoked_at', bigint)
    .execute();
  await db.schema.createIndex('access_tokens_client').on('access_tokens').column('client_id').execute();
  await db.schema.createIndex('access_tokens_expires').on('access_tokens').column('expires_at').execute();
}
