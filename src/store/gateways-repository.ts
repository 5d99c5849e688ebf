import type { GatewaysTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type GatewayRow = GatewaysTable;

/** Gateways that sent heartbeats, with the change version each last applied. */
export interface GatewaysRepository {
  /** Inserts or refreshes a gateway's row (`last_seen_at` = `now`). */
  upsert(row: Omit<GatewayRow, 'last_seen_at'>, now: number): Promise<void>;
  /** Gateways seen since `since` (epoch ms), newest heartbeat first. */
  list(since: number): Promise<GatewayRow[]>;
  /** Forgets gateways not seen since `before`. Returns how many. */
  prune(before: number): Promise<number>;
}

export function gatewaysRepository(q: Queryable): GatewaysRepository {
  const db = dbOf(q);
  return {
    async upsert(row, now) {
      const values = { ...row, last_seen_at: now };
      await db
        .insertInto('gateways')
        .values(values)
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({
            address: values.address,
            software_version: values.software_version,
            applied_version: values.applied_version,
            applied_at: values.applied_at,
            source: values.source,
            started_at: values.started_at,
            last_seen_at: now,
          }),
        )
        .execute();
    },
    async list(since) {
      const rows = await db
        .selectFrom('gateways')
        .selectAll()
        .where('last_seen_at', '>=', since)
        .orderBy('last_seen_at', 'desc')
        .orderBy('id')
        .execute();
      return rows.map((r) => ({
        ...r,
        applied_version: Number(r.applied_version),
        applied_at: Number(r.applied_at),
        started_at: Number(r.started_at),
        last_seen_at: Number(r.last_seen_at),
      }));
    },
    async prune(before) {
      const res = await db.deleteFrom('gateways').where('last_seen_at', '<', before).executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
