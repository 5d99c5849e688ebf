import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Lifecycle history (who moved an API from which state to which, and when: WSO2 `AM_API_LC_EVENT`) and the
 * Developer Portal visibility of a deployment (`displayOnDevportal`, changed by `PUT /apis/{id}/deployments/{id}`).
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('api_lifecycle_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('api_id', 'text', (c) => c.notNull())
    // Position in the API's history: changes within one millisecond (a fake clock, a script) keep their order.
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('previous_state', 'text')
    .addColumn('new_state', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('occurred_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('api_lifecycle_events_api')
    .on('api_lifecycle_events')
    .columns(['api_id', 'seq'])
    .execute();
  await db.schema
    .alterTable('api_deployments')
    .addColumn('display_on_devportal', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}
