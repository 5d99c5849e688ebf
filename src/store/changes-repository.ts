import { sql } from 'kysely';
import type { ChangeKind, ChangeRecord } from '../core/index.js';
import type { Dialect } from './dialect.js';
import { dbOf, type Queryable } from './open-store.js';

/** A committed change of the log. */
export interface ChangeRow {
  version: number;
  kind: ChangeKind;
  key: string;
  createdAt: number;
}

/** The change log (transactional outbox) that gateways follow. */
export interface ChangesRepository {
  /**
   * Appends `records` inside the caller's transaction and returns their versions. On PostgreSQL it first takes a
   * transaction-scoped advisory lock, so versions commit in the order they are allocated: a reader that sees
   * version V has also seen every version below it that will ever commit. Call it last in the transaction.
   */
  append(records: readonly ChangeRecord[], now: number): Promise<number[]>;
  /** Changes with a version above `version`, oldest first, at most `limit`. */
  after(version: number, limit: number): Promise<ChangeRow[]>;
  /** The newest version (0 when the log is empty). */
  head(): Promise<number>;
  /** The oldest version still in the log (null when empty): a gateway behind it needs a full snapshot. */
  oldest(): Promise<number | null>;
  /** Deletes changes created before `before` (epoch ms), always keeping the newest one. Returns how many. */
  prune(before: number): Promise<number>;
}

/** Any number below 2^31: the advisory lock that orders change commits (pg_advisory_xact_lock). */
const COMMIT_ORDER_LOCK = 0x504f5254; // "PORT"

export function changesRepository(q: Queryable, dialect: Dialect): ChangesRepository {
  const db = dbOf(q);
  return {
    async append(records, now) {
      if (records.length === 0) return [];
      if (dialect === 'postgres') await sql`select pg_advisory_xact_lock(${COMMIT_ORDER_LOCK})`.execute(db);
      const rows = await db
        .insertInto('changes')
        .values(records.map((r) => ({ kind: r.kind, key: r.key, created_at: now })))
        .returning('version')
        .execute();
      return rows.map((r) => Number(r.version));
    },
    async after(version, limit) {
      const rows = await db
        .selectFrom('changes')
        .selectAll()
        .where('version', '>', version)
        .orderBy('version')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        version: Number(r.version),
        kind: r.kind as ChangeKind,
        key: r.key,
        createdAt: Number(r.created_at),
      }));
    },
    async head() {
      const row = await db
        .selectFrom('changes')
        .select((eb) => eb.fn.max('version').as('v'))
        .executeTakeFirst();
      return row?.v == null ? 0 : Number(row.v);
    },
    async oldest() {
      const row = await db
        .selectFrom('changes')
        .select((eb) => eb.fn.min('version').as('v'))
        .executeTakeFirst();
      return row?.v == null ? null : Number(row.v);
    },
    async prune(before) {
      const head = await this.head();
      const res = await db
        .deleteFrom('changes')
        .where('created_at', '<', before)
        .where('version', '<', head)
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
