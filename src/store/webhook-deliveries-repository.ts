import type { Selectable } from 'kysely';
import type { WebhookAttemptsTable, WebhookDeliveriesTable } from './schema.js';
import { dbOf, type Queryable, type Store } from './open-store.js';
import { countRows, selectPage, type PageRequest } from './paging.js';

export type WebhookDeliveryRow = Selectable<WebhookDeliveriesTable>;
export type WebhookAttemptRow = Selectable<WebhookAttemptsTable>;

/** Filters of the delivery log; each optional. */
export interface WebhookDeliveryQuery {
  readonly endpointId?: string;
  readonly status?: string;
  readonly eventType?: string;
  readonly eventId?: string;
}

/** How an attempt ended, as the delivery row keeps it. */
export interface WebhookAttemptOutcome {
  readonly attempt: WebhookAttemptRow;
  /** `pending` (retry at `nextAttemptAt`), `succeeded` or `failed` (no attempt left). */
  readonly status: 'pending' | 'succeeded' | 'failed';
  readonly nextAttemptAt: number | null;
  readonly at: number;
}

/** The webhook outbox and its delivery log (migration 012). */
export interface WebhookDeliveriesRepository {
  insert(rows: readonly WebhookDeliveryRow[]): Promise<void>;
  findById(id: string): Promise<WebhookDeliveryRow | undefined>;
  /** Newest first. */
  list(query: WebhookDeliveryQuery, page: PageRequest): Promise<WebhookDeliveryRow[]>;
  count(query: WebhookDeliveryQuery): Promise<number>;
  /** The attempts of these deliveries, by delivery then attempt number. */
  attemptsOf(deliveryIds: readonly string[]): Promise<WebhookAttemptRow[]>;
  /**
   * Records an attempt of a delivery `owner` holds the lease of, and its new state. False (nothing written) when
   * the lease was lost to another control plane meanwhile.
   */
  complete(id: string, owner: string, outcome: WebhookAttemptOutcome): Promise<boolean>;
}

/** The webhook-deliveries repository over the store or one of its transactions. */
export function webhookDeliveriesRepository(q: Queryable): WebhookDeliveriesRepository {
  const db = dbOf(q);
  const filtered = (f: WebhookDeliveryQuery) => {
    let s = db.selectFrom('webhook_deliveries');
    if (f.endpointId !== undefined) s = s.where('endpoint_id', '=', f.endpointId);
    if (f.status !== undefined) s = s.where('status', '=', f.status);
    if (f.eventType !== undefined) s = s.where('event_type', '=', f.eventType);
    if (f.eventId !== undefined) s = s.where('event_id', '=', f.eventId);
    return s;
  };
  return {
    async insert(rows) {
      if (rows.length > 0)
        await db
          .insertInto('webhook_deliveries')
          .values([...rows])
          .execute();
    },
    findById: (id) => db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst(),
    list: (f, page) => selectPage(filtered(f), ['created_at', 'id'], 'desc', page),
    count: (f) => countRows(filtered(f)),
    attemptsOf: (ids) =>
      ids.length === 0
        ? Promise.resolve([])
        : db
            .selectFrom('webhook_attempts')
            .selectAll()
            .where('delivery_id', 'in', [...ids])
            .orderBy('delivery_id')
            .orderBy('attempt')
            .execute(),
    async complete(id, owner, o) {
      const r = await db
        .updateTable('webhook_deliveries')
        .set({
          status: o.status,
          attempts: o.attempt.attempt,
          next_attempt_at: o.nextAttemptAt,
          lease_until: null,
          lease_owner: null,
          last_status_code: o.attempt.status_code,
          last_error: o.attempt.error,
          updated_at: o.at,
        })
        .where('id', '=', id)
        .where('lease_owner', '=', owner)
        .executeTakeFirst();
      if (Number(r.numUpdatedRows) === 0) return false;
      await db.insertInto('webhook_attempts').values(o.attempt).execute();
      return true;
    },
  };
}

/**
 * Claims up to `limit` pending deliveries of enabled endpoints, due at `now`, whose lease is free, for `owner` until `now + leaseMs`, and
 * returns them. On PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so control planes claiming at the
 * same time get disjoint rows; SQLite has one writer at a time.
 */
export async function claimDueWebhookDeliveries(
  store: Store,
  o: { now: number; leaseMs: number; owner: string; limit: number },
): Promise<WebhookDeliveryRow[]> {
  return store.transaction(async (trx) => {
    const db = dbOf(trx);
    let pick = db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', o.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', o.now)]))
      // A disabled endpoint's deliveries wait (they go out when it is enabled again).
      .where('endpoint_id', 'in', db.selectFrom('webhook_endpoints').select('id').where('enabled', '=', 1))
      .orderBy('next_attempt_at')
      .limit(o.limit);
    if (store.dialect === 'postgres') pick = pick.forUpdate().skipLocked();
    const ids = (await pick.execute()).map((r) => r.id);
    if (ids.length === 0) return [];
    await db
      .updateTable('webhook_deliveries')
      .set({ lease_until: o.now + o.leaseMs, lease_owner: o.owner })
      .where('id', 'in', ids)
      .execute();
    return db.selectFrom('webhook_deliveries').selectAll().where('id', 'in', ids).execute();
  });
}
