import type { Kysely } from 'kysely';
import type { Dialect } from '../dialect.js';

/**
 * Lifecycle webhooks (docs/webhooks.md). `webhook_endpoints`: the HTTPS endpoints an admin registered, with the
 * signing secret (kept to sign with, never returned after create) and the event types they subscribe to.
 * `webhook_deliveries`: the outbox of what is to be sent, one row per (event, endpoint), written in the
 * transaction of the change it reports; a control plane claims due rows with a lease (`lease_until`).
 * `webhook_attempts`: one row per HTTP attempt of a delivery (the delivery log). `webhook_expiry_notices`: which
 * (credential, threshold in days) an `*.expiring` event was already enqueued for, so each is sent once.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const bigint = dialect === 'postgres' ? 'bigint' : 'integer';
  await db.schema
    .createTable('webhook_endpoints')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('url', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('event_types', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('secret', 'text', (c) => c.notNull())
    .addColumn('secret_hint', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('webhook_deliveries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', bigint)
    .addColumn('lease_until', bigint)
    .addColumn('lease_owner', 'text')
    .addColumn('last_status_code', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('created_at', bigint, (c) => c.notNull())
    .addColumn('updated_at', bigint, (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_event_endpoint')
    .unique()
    .on('webhook_deliveries')
    .columns(['event_id', 'endpoint_id'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_due')
    .on('webhook_deliveries')
    .columns(['status', 'next_attempt_at'])
    .execute();
  await db.schema
    .createIndex('webhook_deliveries_endpoint')
    .on('webhook_deliveries')
    .columns(['endpoint_id', 'created_at'])
    .execute();
  await db.schema
    .createTable('webhook_attempts')
    .addColumn('delivery_id', 'text', (c) => c.notNull())
    .addColumn('attempt', 'integer', (c) => c.notNull())
    .addColumn('started_at', bigint, (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('status_code', 'integer')
    .addColumn('error', 'text')
    .addColumn('response_excerpt', 'text')
    .addPrimaryKeyConstraint('webhook_attempts_pk', ['delivery_id', 'attempt'])
    .execute();
  await db.schema
    .createTable('webhook_expiry_notices')
    .addColumn('credential_type', 'text', (c) => c.notNull())
    .addColumn('credential_id', 'text', (c) => c.notNull())
    .addColumn('threshold_days', 'integer', (c) => c.notNull())
    .addColumn('noticed_at', bigint, (c) => c.notNull())
    .addPrimaryKeyConstraint('webhook_expiry_notices_pk', [
      'credential_type',
      'credential_id',
      'threshold_days',
    ])
    .execute();
}
