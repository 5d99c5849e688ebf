import { sql, type Selectable } from 'kysely';
import type { AuditEventsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';
import { countRows, selectPage, type PageRequest } from './paging.js';

export type AuditEventRow = Selectable<AuditEventsTable>;

/** Filters of an audit-log query; every one optional, all of them must match. */
export interface AuditEventQuery {
  /** Any of these actions (`apikey.revoked`); an empty list matches nothing. */
  readonly actions?: readonly string[];
  readonly actor?: string;
  readonly targetType?: string;
  readonly targetId?: string;
  readonly outcome?: string;
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
}

/** The audit log table: append and read only (an UPDATE is refused by a trigger). */
export interface AuditEventsRepository {
  insert(row: AuditEventRow): Promise<void>;
  /** Newest first, `limit` rows from `offset`. */
  list(query: AuditEventQuery, page: PageRequest): Promise<AuditEventRow[]>;
  count(query: AuditEventQuery): Promise<number>;
  /** Retention: removes events older than `before` (epoch ms); returns how many. */
  deleteOlderThan(before: number): Promise<number>;
}

/** The audit-events repository over the store or one of its transactions. */
export function auditEventsRepository(q: Queryable): AuditEventsRepository {
  const db = dbOf(q);
  const filtered = (f: AuditEventQuery) => {
    let s = db.selectFrom('audit_events');
    if (f.actions !== undefined) {
      // `in ()` is not valid SQL: an empty list matches nothing.
      s = f.actions.length === 0 ? s.where(sql<boolean>`1 = 0`) : s.where('action', 'in', [...f.actions]);
    }
    if (f.actor !== undefined) s = s.where('actor', '=', f.actor);
    if (f.targetType !== undefined) s = s.where('target_type', '=', f.targetType);
    if (f.targetId !== undefined) s = s.where('target_id', '=', f.targetId);
    if (f.outcome !== undefined) s = s.where('outcome', '=', f.outcome);
    if (f.from !== undefined) s = s.where('occurred_at', '>=', f.from);
    if (f.to !== undefined) s = s.where('occurred_at', '<', f.to);
    return s;
  };
  return {
    async insert(row) {
      await db.insertInto('audit_events').values(row).execute();
    },
    list: (f, page) => selectPage(filtered(f), ['occurred_at', 'id'], 'desc', page),
    count: (f) => countRows(filtered(f)),
    async deleteOlderThan(before) {
      const r = await db.deleteFrom('audit_events').where('occurred_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
