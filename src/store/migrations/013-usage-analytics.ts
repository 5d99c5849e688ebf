import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Usage analytics (issue 14): `usage_minutes` holds one row per minute, API, application, key and status class
 * (count and a sparse latency histogram, merged by the flush that adds to it); `usage_flushes` remembers the flush
 * ids applied, so a gateway that retries a flush whose answer it lost is not counted twice.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('usage_minutes')
    .addColumn('minute', bigint, (c) => c.notNull())
    .addColumn('api_id', 'text', (c) => c.notNull())
    .addColumn('application_id', 'text', (c) => c.notNull())
    .addColumn('key_kind', 'text', (c) => c.notNull())
    .addColumn('key_id', 'text', (c) => c.notNull())
    .addColumn('key_type', 'text', (c) => c.notNull())
    .addColumn('status_class', 'text', (c) => c.notNull())
    .addColumn('api_name', 'text', (c) => c.notNull())
    .addColumn('api_version', 'text', (c) => c.notNull())
    .addColumn('application_name', 'text', (c) => c.notNull())
    .addColumn('count', bigint, (c) => c.notNull())
    .addColumn('latency', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('usage_minutes_pk', [
      'minute',
      'api_id',
      'application_id',
      'key_kind',
      'key_id',
      'key_type',
      'status_class',
    ])
    .execute();
  await db.schema
    .createIndex('usage_minutes_api')
    .on('usage_minutes')
    .columns(['api_id', 'minute'])
    .execute();
  await db.schema
    .createIndex('usage_minutes_application')
    .on('usage_minutes')
    .columns(['application_id', 'minute'])
    .execute();
  await db.schema
    .createTable('usage_flushes')
    .addColumn('flush_id', 'text', (c) => c.primaryKey())
    .addColumn('received_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('usage_flushes_time').on('usage_flushes').column('received_at').execute();
}
