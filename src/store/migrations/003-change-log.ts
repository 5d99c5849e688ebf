import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * The transactional outbox (`changes`): one row per committed change, written in the change's own transaction.
 * `version` is the deployment-wide change sequence gateways follow. `gateways` records the gateways that
 * registered and what they applied.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  let changes = db.schema.createTable('changes');
  changes =
    dialect === 'postgres'
      ? changes.addColumn('version', 'bigserial', (c) => c.primaryKey())
      : changes.addColumn('version', 'integer', (c) => c.primaryKey().autoIncrement());
  await changes
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema.createIndex('changes_created_at').on('changes').column('created_at').execute();

  await db.schema
    .createTable('gateways')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('software_version', 'text', (c) => c.notNull())
    .addColumn('applied_version', bigint, (c) => c.notNull())
    .addColumn('applied_at', bigint, (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('last_seen_at', bigint, (c) => c.notNull())
    .execute();
}
