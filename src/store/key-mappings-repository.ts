import type { Selectable } from 'kysely';
import type { KeyMappingsTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type KeyMappingRow = Selectable<KeyMappingsTable>;

/** Key mappings: one OAuth client per (application, key type, key manager). */
export interface KeyMappingsRepository {
  insert(row: KeyMappingRow): Promise<void>;
  findByUuid(uuid: string): Promise<KeyMappingRow | undefined>;
  listByApplication(applicationId: number): Promise<KeyMappingRow[]>;
  find(applicationId: number, keyType: string, keyManager: string): Promise<KeyMappingRow | undefined>;
  findByConsumerKey(keyManager: string, consumerKey: string): Promise<KeyMappingRow | undefined>;
  update(
    uuid: string,
    fields: Partial<
      Pick<KeyMappingRow, 'grant_types' | 'callback_url' | 'additional_properties' | 'key_state'>
    > & {
      updated_at: number;
    },
  ): Promise<boolean>;
  delete(uuid: string): Promise<boolean>;
  /** Number of key mappings issued by a key manager. */
  countByKeyManager(keyManager: string): Promise<number>;
}

/** The key mappings repository over the store or one of its transactions. */
export function keyMappingsRepository(q: Queryable): KeyMappingsRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('key_mappings').values(row).execute();
    },
    findByUuid: (uuid) =>
      db.selectFrom('key_mappings').selectAll().where('uuid', '=', uuid).executeTakeFirst(),
    listByApplication: (applicationId) =>
      db
        .selectFrom('key_mappings')
        .selectAll()
        .where('application_id', '=', applicationId)
        .orderBy('created_at')
        .orderBy('uuid')
        .execute(),
    find: (applicationId, keyType, keyManager) =>
      db
        .selectFrom('key_mappings')
        .selectAll()
        .where('application_id', '=', applicationId)
        .where('key_type', '=', keyType)
        .where('key_manager', '=', keyManager)
        .executeTakeFirst(),
    findByConsumerKey: (keyManager, consumerKey) =>
      db
        .selectFrom('key_mappings')
        .selectAll()
        .where('key_manager', '=', keyManager)
        .where('consumer_key', '=', consumerKey)
        .executeTakeFirst(),
    async update(uuid, fields) {
      const r = await db.updateTable('key_mappings').set(fields).where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async delete(uuid) {
      const r = await db.deleteFrom('key_mappings').where('uuid', '=', uuid).executeTakeFirst();
      return Number(r.numDeletedRows) > 0;
    },
    async countByKeyManager(keyManager) {
      const row = await db
        .selectFrom('key_mappings')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('key_manager', '=', keyManager)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
  };
}
