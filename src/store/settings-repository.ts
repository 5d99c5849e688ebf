import { dbOf, type Queryable } from './open-store.js';

/** Small key/value settings kept in the store (one-time markers such as "sample deployed"). */
export interface SettingsRepository {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
}

export function settingsRepository(q: Queryable): SettingsRepository {
  const db = dbOf(q);
  return {
    async get(key) {
      const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
      return row?.value;
    },
    async set(key, value) {
      await db
        .insertInto('settings')
        .values({ key, value })
        .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
        .execute();
    },
  };
}
