import type { Selectable } from 'kysely';
import type { WebhookEndpointsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';
import { countRows, selectPage, type PageRequest } from './paging.js';

export type WebhookEndpointRow = Selectable<WebhookEndpointsTable>;

/** What an update of an endpoint may change (the secret never changes here). */
export type WebhookEndpointChanges = Pick<
  WebhookEndpointRow,
  'url' | 'description' | 'event_types' | 'enabled' | 'updated_at'
>;

/** Webhook endpoints (migration 012). Deleting one deletes its deliveries and their attempts. */
export interface WebhookEndpointsRepository {
  insert(row: WebhookEndpointRow): Promise<void>;
  findById(id: string): Promise<WebhookEndpointRow | undefined>;
  /** Oldest first. */
  list(page: PageRequest): Promise<WebhookEndpointRow[]>;
  count(): Promise<number>;
  /** The enabled endpoints (the outbox fans an event out to those subscribed to its type). */
  listEnabled(): Promise<WebhookEndpointRow[]>;
  /** False when there is no such endpoint. */
  update(id: string, changes: WebhookEndpointChanges): Promise<boolean>;
  /** False when there is no such endpoint. */
  delete(id: string): Promise<boolean>;
}

/** The webhook-endpoints repository over the store or one of its transactions. */
export function webhookEndpointsRepository(q: Queryable): WebhookEndpointsRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('webhook_endpoints').values(row).execute();
    },
    findById: (id) => db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst(),
    list: (page) => selectPage(db.selectFrom('webhook_endpoints'), ['created_at', 'id'], 'asc', page),
    count: () => countRows(db.selectFrom('webhook_endpoints')),
    listEnabled: () => db.selectFrom('webhook_endpoints').selectAll().where('enabled', '=', 1).execute(),
    async update(id, changes) {
      const r = await db
        .updateTable('webhook_endpoints')
        .set(changes)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id) {
      const deliveries = db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id);
      await db.deleteFrom('webhook_attempts').where('delivery_id', 'in', deliveries).execute();
      await db.deleteFrom('webhook_deliveries').where('endpoint_id', '=', id).execute();
      const r = await db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
