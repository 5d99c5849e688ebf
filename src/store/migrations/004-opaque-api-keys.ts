import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Opaque API keys and rotation with grace on `api_keys`: `format` (`jwt` | `opaque`), `key_hash` (HMAC-SHA-256 of
 * an opaque key under the server secret, base64url; null for JWT keys, unique), `grace_expires_at` (epoch ms: a
 * regenerated key keeps working until then; null when not rotating) and `replaced_by` (the jti of its successor).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .alterTable('api_keys')
    .addColumn('format', 'text', (c) => c.notNull().defaultTo('jwt'))
    .execute();
  await db.schema.alterTable('api_keys').addColumn('key_hash', 'text').execute();
  await db.schema.alterTable('api_keys').addColumn('grace_expires_at', bigint).execute();
  await db.schema.alterTable('api_keys').addColumn('replaced_by', 'text').execute();
  await db.schema.createIndex('api_keys_key_hash').on('api_keys').column('key_hash').unique().execute();
}
