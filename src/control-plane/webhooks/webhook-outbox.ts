import { newUuid, type Clock } from '../../core/index.js';
import {
  afterCommit,
  webhookDeliveriesRepository,
  webhookEndpointsRepository,
  type AuditEventRow,
  type Queryable,
  type WebhookDeliveryRow,
} from '../../store/index.js';
import { subscribes, webhookEventOfAudit, type WebhookEvent } from './webhook-events.js';

/**
 * The webhook outbox: turns an event into one pending delivery per subscribed, enabled endpoint, in the
 * transaction it is given (so an event is queued exactly when the change it reports commits), then wakes the
 * local dispatcher after the commit. Other control planes find the rows on their next poll.
 */
export interface WebhookOutbox {
  /** Queues `event` for every enabled endpoint subscribed to its type (or only `onlyEndpoint`); returns the rows. */
  enqueue(
    event: WebhookEvent,
    db: Queryable,
    opts?: { onlyEndpoint?: string },
  ): Promise<WebhookDeliveryRow[]>;
  /** The audit log's sink: queues the webhook event an audit event is, if it is one. */
  fromAudit(row: AuditEventRow, db: Queryable): Promise<void>;
  /** Called after a commit that queued deliveries (the dispatcher wakes). Returns unsubscribe. */
  onQueued(listener: () => void): () => void;
}

/** @example const outbox = createWebhookOutbox(clock); const audit = createAuditLog({ ..., sinks: [outbox.fromAudit] }); */
export function createWebhookOutbox(clock: Clock): WebhookOutbox {
  const listeners = new Set<() => void>();
  const wake = () => {
    for (const l of listeners) l();
  };
  const enqueue: WebhookOutbox['enqueue'] = async (event, db, opts = {}) => {
    const endpoints = opts.onlyEndpoint
      ? [await webhookEndpointsRepository(db).findById(opts.onlyEndpoint)].filter((e) => e !== undefined)
      : (await webhookEndpointsRepository(db).listEnabled()).filter((e) =>
          subscribes(JSON.parse(e.event_types) as string[], event.type),
        );
    if (endpoints.length === 0) return [];
    const now = clock.now();
    const payload = JSON.stringify(event);
    const rows: WebhookDeliveryRow[] = endpoints.map((e) => ({
      id: newUuid(),
      event_id: event.id,
      event_type: event.type,
      endpoint_id: e.id,
      payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      lease_until: null,
      lease_owner: null,
      last_status_code: null,
      last_error: null,
      created_at: now,
      updated_at: now,
    }));
    await webhookDeliveriesRepository(db).insert(rows);
    afterCommit(db, wake);
    return rows;
  };
  return {
    enqueue,
    async fromAudit(row, db) {
      const event = webhookEventOfAudit(row);
      if (event) await enqueue(event, db);
    },
    onQueued(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
