import type { Selectable } from 'kysely';
import type { ApiKeyLeaksTable } from './schema.js';
import { dbOf, type Queryable } from './open-store.js';

export type ApiKeyLeakRow = Selectable<ApiKeyLeaksTable>;

/** Leak reports of API keys, by key jti (the key value is never stored). */
export interface ApiKeyLeaksRepository {
  insert(row: ApiKeyLeakRow): Promise<void>;
  /** The reports of one key, oldest first. */
  listByKey(keyJti: string): Promise<ApiKeyLeakRow[]>;
  /** The reports of every key of one application, oldest first. */
  listByApplication(applicationId: number): Promise<ApiKeyLeakRow[]>;
}

/** The API-key leaks repository over the store or one of its transactions. */
export function apiKeyLeaksRepository(q: Queryable): ApiKeyLeaksRepository {
  const db = dbOf(q);
  return {
    async insert(row) {
      await db.insertInto('api_key_leaks').values(row).execute();
    },
    listByKey: (keyJti) =>
      db
        .selectFrom('api_key_leaks')
        .selectAll()
        .where('key_jti', '=', keyJti)
        .orderBy('reported_at')
        .orderBy('uuid')
        .execute(),
    listByApplication: (applicationId) =>
      db
        .selectFrom('api_key_leaks')
        .selectAll()
        .where('application_id', '=', applicationId)
        .orderBy('reported_at')
        .orderBy('uuid')
        .execute(),
  };
}
