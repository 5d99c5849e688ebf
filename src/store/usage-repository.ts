import type { Selectable } from 'kysely';
import {
  addSparse,
  LATENCY_BUCKETS,
  toSparse,
  type SparseHistogram,
  type UsageAggregate,
  type UsageBatch,
} from '../core/index.js';
import type { Dialect } from './dialect.js';
import type { UsageMinutesTable } from './schema.js';
import { dbOf, type Queryable, type Store } from './open-store.js';

export type UsageMinuteRow = Selectable<UsageMinutesTable>;

/** Which rows a usage query reads; `from` inclusive, `to` exclusive (epoch ms of minutes). */
export interface UsageRowQuery {
  readonly from: number;
  readonly to: number;
  readonly apiId?: string;
  readonly applicationId?: string;
}

/** Usage analytics rows (migration 013). */
export interface UsageRepository {
  /** Rows of the range, oldest first. */
  list(query: UsageRowQuery): Promise<UsageMinuteRow[]>;
  /** Retention: removes minutes (and remembered flush ids) older than `before`; returns the rows removed. */
  deleteOlderThan(before: number): Promise<number>;
}

/** The usage repository over the store or one of its transactions. */
export function usageRepository(q: Queryable): UsageRepository {
  const db = dbOf(q);
  return {
    async list(f) {
      let s = db
        .selectFrom('usage_minutes')
        .selectAll()
        .where('minute', '>=', f.from)
        .where('minute', '<', f.to);
      if (f.apiId !== undefined) s = s.where('api_id', '=', f.apiId);
      if (f.applicationId !== undefined) s = s.where('application_id', '=', f.applicationId);
      const rows = await s.orderBy('minute').execute();
      // PostgreSQL bigint columns arrive as strings.
      return rows.map((r) => ({ ...r, minute: Number(r.minute), count: Number(r.count) }));
    },
    async deleteOlderThan(before) {
      const r = await db.deleteFrom('usage_minutes').where('minute', '<', before).executeTakeFirst();
      await db.deleteFrom('usage_flushes').where('received_at', '<', before).execute();
      return Number(r.numDeletedRows);
    },
  };
}

/**
 * Applies one gateway flush in one transaction: its `flushId` is remembered first, and a flush id seen before
 * makes the whole batch a no-op (a retry after a lost answer), so every request is counted once. Each aggregate
 * is added to its minute's row (count and latency histogram merged; PostgreSQL locks the row so control planes
 * flushing concurrently do not lose an update). Returns false for a flush applied before.
 */
export async function applyUsageFlush(store: Store, batch: UsageBatch, receivedAt: number): Promise<boolean> {
  return store.transaction(async (trx) => {
    const db = dbOf(trx);
    const first = await db
      .insertInto('usage_flushes')
      .values({ flush_id: batch.flushId, received_at: receivedAt })
      .onConflict((oc) => oc.column('flush_id').doNothing())
      .executeTakeFirst();
    if (Number(first.numInsertedOrUpdatedRows ?? 0n) === 0) return false;
    for (const a of batch.aggregates) await addAggregate(trx, store.dialect, a);
    return true;
  });
}

async function addAggregate(trx: Queryable, dialect: Dialect, a: UsageAggregate): Promise<void> {
  const db = dbOf(trx);
  const key = {
    minute: a.minute,
    api_id: a.apiId,
    application_id: a.applicationId,
    key_kind: a.keyKind,
    key_id: a.keyId,
    key_type: a.keyType,
    status_class: a.statusClass,
  };
  const names = { api_name: a.apiName, api_version: a.apiVersion, application_name: a.applicationName };
  const inserted = await db
    .insertInto('usage_minutes')
    .values({ ...key, ...names, count: a.count, latency: JSON.stringify(a.latency) })
    .onConflict((oc) =>
      oc
        .columns(['minute', 'api_id', 'application_id', 'key_kind', 'key_id', 'key_type', 'status_class'])
        .doNothing(),
    )
    .executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 1) return;
  let existing = db
    .selectFrom('usage_minutes')
    .select(['count', 'latency'])
    .where('minute', '=', key.minute)
    .where('api_id', '=', key.api_id)
    .where('application_id', '=', key.application_id)
    .where('key_kind', '=', key.key_kind)
    .where('key_id', '=', key.key_id)
    .where('key_type', '=', key.key_type)
    .where('status_class', '=', key.status_class);
  if (dialect === 'postgres') existing = existing.forUpdate();
  const row = await existing.executeTakeFirstOrThrow();
  const dense = new Float64Array(LATENCY_BUCKETS);
  addSparse(dense, parseSparse(row.latency));
  addSparse(dense, a.latency);
  await db
    .updateTable('usage_minutes')
    .set({ ...names, count: Number(row.count) + a.count, latency: JSON.stringify(toSparse(dense)) })
    .where('minute', '=', key.minute)
    .where('api_id', '=', key.api_id)
    .where('application_id', '=', key.application_id)
    .where('key_kind', '=', key.key_kind)
    .where('key_id', '=', key.key_id)
    .where('key_type', '=', key.key_type)
    .where('status_class', '=', key.status_class)
    .execute();
}

/** A stored histogram; a damaged one reads as empty (counts stay exact, only its quantiles are lost). */
export function parseSparse(text: string): SparseHistogram {
  try {
    const v: unknown = JSON.parse(text);
    if (!Array.isArray(v)) return [];
    return v.filter(
      (p): p is [number, number] =>
        Array.isArray(p) && p.length === 2 && Number.isInteger(p[0]) && typeof p[1] === 'number' && p[1] > 0,
    );
  } catch {
    return [];
  }
}
