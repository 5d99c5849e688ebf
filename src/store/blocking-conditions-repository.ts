import type { Selectable } from 'kysely';
import type { BlockingConditionsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type BlockingConditionRow = Selectable<BlockingConditionsTable>;

/** Admin deny policies (blocking conditions). */
export interface BlockingConditionsRepository {
  /** All conditions, oldest first; only those of `uuids` when given (a change-log delta). */
  list(uuids?: readonly string[]): Promise<BlockingConditionRow[]>;
  /** Enabled conditions only (what gateways enforce). */
  listEnabled(): Promise<BlockingConditionRow[]>;
  findByUuid(uuid: string): Promise<BlockingConditionRow | undefined>;
  findByValue(type: string, value: string): Promise<BlockingConditionRow | undefined>;
  insert(row: BlockingConditionRow): Promise<void>;
  setEnabled(uuid: string, enabled: boolean, now: number): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
}

/** The blocking-conditions repository over the store or one of its transactions. */
export function blockingConditionsRepository(q: Queryable): BlockingConditionsRepository {
  const db = dbOf(q);
  const all = () => db.selectFrom('blocking_conditions').selectAll().orderBy('created_at').orderBy('uuid');
  return {
    async list(uuids) {
      if (uuids === undefined) return all().execute();
      return uuids.length === 0
        ? []
        : all()
            .where('uuid', 'in', [...uuids])
            .execute();
    },
    listEnabled: () => all().where('enabled', '=', 1).execute(),
    findByUuid: (uuid) => all().where('uuid', '=', uuid).executeTakeFirst(),
    findByValue: (type, value) =>
      all().where('condition_type', '=', type).where('condition_value', '=', value).executeTakeFirst(),
    async insert(row) {
      await db.insertInto('blocking_conditions').values(row).execute();
    },
    async setEnabled(uuid, enabled, now) {
      const r = await db
        .updateTable('blocking_conditions')
        .set({ enabled: enabled ? 1 : 0, updated_at: now })
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('blocking_conditions').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
