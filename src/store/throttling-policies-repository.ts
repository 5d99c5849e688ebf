import type { Selectable } from 'kysely';
import type { ThrottlingPoliciesTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type ThrottlingPolicyRow = Selectable<ThrottlingPoliciesTable>;

/** Policy levels as stored: `api` is WSO2's "advanced" (API/resource) level. */
export type ThrottlingPolicyLevel = 'subscription' | 'application' | 'api';

/** Throttling policies (subscription tiers, application policies, advanced API/resource policies). */
export interface ThrottlingPoliciesRepository {
  list(level: ThrottlingPolicyLevel): Promise<ThrottlingPolicyRow[]>;
  findByUuid(level: ThrottlingPolicyLevel, uuid: string): Promise<ThrottlingPolicyRow | undefined>;
  findByName(level: ThrottlingPolicyLevel, name: string): Promise<ThrottlingPolicyRow | undefined>;
  /** The subset of `names` that exist at a level. */
  existingNames(level: ThrottlingPolicyLevel, names: readonly string[]): Promise<Set<string>>;
  findByNames(level: ThrottlingPolicyLevel, names: readonly string[]): Promise<ThrottlingPolicyRow[]>;
  insert(row: ThrottlingPolicyRow): Promise<void>;
  update(uuid: string, fields: Pick<ThrottlingPolicyRow, 'definition' | 'updated_at'>): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
}

/** The throttling-policies repository over the store or one of its transactions. */
export function throttlingPoliciesRepository(q: Queryable): ThrottlingPoliciesRepository {
  const db = dbOf(q);
  const base = (level: ThrottlingPolicyLevel) =>
    db.selectFrom('throttling_policies').selectAll().where('level', '=', level);
  return {
    list: (level) => base(level).orderBy('created_at').orderBy('name').execute(),
    findByUuid: (level, uuid) => base(level).where('uuid', '=', uuid).executeTakeFirst(),
    findByName: (level, name) => base(level).where('name', '=', name).executeTakeFirst(),
    async existingNames(level, names) {
      if (names.length === 0) return new Set();
      const rows = await db
        .selectFrom('throttling_policies')
        .select('name')
        .where('level', '=', level)
        .where('name', 'in', [...names])
        .execute();
      return new Set(rows.map((r) => r.name));
    },
    findByNames: async (level, names) =>
      names.length === 0
        ? []
        : db
            .selectFrom('throttling_policies')
            .selectAll()
            .where('level', '=', level)
            .where('name', 'in', [...names])
            .execute(),
    async insert(row) {
      await db.insertInto('throttling_policies').values(row).execute();
    },
    async update(uuid, fields) {
      const r = await db
        .updateTable('throttling_policies')
        .set(fields)
        .where('uuid', '=', uuid)
        .executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('throttling_policies').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
