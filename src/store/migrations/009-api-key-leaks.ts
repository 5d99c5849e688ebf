import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Leak reports of API keys (`POST /api/portico/v1/leak-reports`): one row per reported Portico key, naming the
 * key by its jti (`api_keys.jti`, also the revocation id of a JWT key), never by its value. `reporter_key_id` is
 * the public-key identifier the report was signed with; `url` and `source` are where the reporter found it;
 * `action` is `revoked` or `marked` (`[apim.devportal.leak_report] action`).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('api_key_leaks')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('key_jti', 'text', (c) => c.notNull())
    .addColumn('application_id', 'integer')
    .addColumn('reporter_key_id', 'text', (c) => c.notNull())
    .addColumn('token_type', 'text', (c) => c.notNull())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('reported_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('api_key_leaks_key_jti').on('api_key_leaks').column('key_jti').execute();
  await db.schema
    .createIndex('api_key_leaks_application_id')
    .on('api_key_leaks')
    .column('application_id')
    .execute();
}
