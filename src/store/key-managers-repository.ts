import type { Selectable } from 'kysely';
import type { KeyManagersTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type KeyManagerRow = Selectable<KeyManagersTable>;

/** External key managers registered through the Admin API (the resident one lives in deployment.toml). */
export interface KeyManagersRepository {
  /** All key managers, by name. */
  list(): Promise<KeyManagerRow[]>;
  /** The enabled key managers, by name. */
  listEnabled(): Promise<KeyManagerRow[]>;
  findByUuid(uuid: string): Promise<KeyManagerRow | undefined>;
  findByName(name: string): Promise<KeyManagerRow | undefined>;
  /** The key manager a devportal `keyManager` field names: by name or by uuid. */
  findByNameOrUuid(value: string): Promise<KeyManagerRow | undefined>;
  insert(row: KeyManagerRow): Promise<void>;
  update(
    uuid: string,
    fields: Pick<KeyManagerRow, 'type' | 'enabled' | 'definition' | 'updated_at'>,
  ): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
}

/** The key managers repository over the store or one of its transactions. */
export function keyManagersRepository(q: Queryable): KeyManagersRepository {
  const db = dbOf(q);
  return {
    list: () => db.selectFrom('key_managers').selectAll().orderBy('name').execute(),
    listEnabled: () =>
      db.selectFrom('key_managers').selectAll().where('enabled', '=', 1).orderBy('name').execute(),
    findByUuid: (uuid) =>
      db.selectFrom('key_managers').selectAll().where('uuid', '=', uuid).executeTakeFirst(),
    findByName: (name) =>
      db.selectFrom('key_managers').selectAll().where('name', '=', name).executeTakeFirst(),
    findByNameOrUuid: (value) =>
      db
        .selectFrom('key_managers')
        .selectAll()
        .where((eb) => eb.or([eb('name', '=', value), eb('uuid', '=', value)]))
        .executeTakeFirst(),
    async insert(row) {
      await db.insertInto('key_managers').values(row).execute();
    },
    async update(uuid, fields) {
      const r = await db.updateTable('key_managers').set(fields).where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('key_managers').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
  };
}
