import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Admin deny policies (WSO2 blocking conditions). `condition_value` is the canonical value text (a string for
 * API, APPLICATION and USER; canonical JSON for IP and IPRANGE), unique per type so a duplicate is a 409.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('blocking_conditions')
    .addColumn('uuid', 'text', (c) => c.primaryKey())
    .addColumn('condition_type', 'text', (c) => c.notNull())
    .addColumn('condition_value', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('blocking_conditions_type_value')
    .on('blocking_conditions')
    .columns(['condition_type', 'condition_value'])
    .unique()
    .execute();
}
