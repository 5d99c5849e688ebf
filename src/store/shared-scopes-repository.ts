import type { Selectable } from 'kysely';
import type { SharedScopesTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type SharedScopeRow = Selectable<SharedScopesTable>;

/** Publisher shared scopes (WSO2 `/scopes`), unique by name. */
export interface SharedScopesRepository {
  /** All shared scopes, by name. */
  list(): Promise<SharedScopeRow[]>;
  findById(id: string): Promise<SharedScopeRow | undefined>;
  findByName(name: string): Promise<SharedScopeRow | undefined>;
  /** Those of `names` that exist. */
  findByNames(names: readonly string[]): Promise<SharedScopeRow[]>;
  /** @throws the dialect's unique violation when the name is taken (see isUniqueViolation). */
  insert(row: SharedScopeRow): Promise<void>;
  /** Updates what WSO2 lets change (display name, description, bindings); false when absent. */
  update(
    id: string,
    change: Pick<SharedScopeRow, 'display_name' | 'description' | 'bindings' | 'updated_at'>,
  ): Promise<boolean>;
  delete(id: string): Promise<boolean>;
}

/** The shared-scopes repository over the store or one of its transactions. */
export function sharedScopesRepository(q: Queryable): SharedScopesRepository {
  const db = dbOf(q);
  const all = () => db.selectFrom('shared_scopes').selectAll().orderBy('name');
  return {
    list: () => all().execute(),
    findById: (id) => all().where('id', '=', id).executeTakeFirst(),
    findByName: (name) => all().where('name', '=', name).executeTakeFirst(),
    async findByNames(names) {
      return names.length === 0
        ? []
        : all()
            .where('name', 'in', [...names])
            .execute();
    },
    async insert(row) {
      await db.insertInto('shared_scopes').values(row).execute();
    },
    async update(id, change) {
      const r = await db.updateTable('shared_scopes').set(change).where('id', '=', id).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(id) {
      const r = await db.deleteFrom('shared_scopes').where('id', '=', id).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
