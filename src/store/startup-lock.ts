import { sql } from 'kysely';
import { dbOf, type Store } from './open-store.js';

/** The advisory lock that serialises the one-time seeding of a deployment's control planes. */
const STARTUP_LOCK = 0x504f5253; // "PORS"

/**
 * Runs `fn` while holding the deployment's startup lock: on PostgreSQL a session advisory lock on a connection of
 * its own (released when `fn` ends, or when the process dies), so control planes starting at once on a fresh
 * database seed it one after the other; on SQLite (one process per file) `fn` simply runs.
 * @example await withStartupLock(store, () => ensureSuperAdmin(...));
 */
export async function withStartupLock<T>(store: Store, fn: () => Promise<T>): Promise<T> {
  if (store.dialect !== 'postgres') return fn();
  return dbOf(store)
    .connection()
    .execute(async (conn) => {
      await sql`select pg_advisory_lock(${STARTUP_LOCK})`.execute(conn);
      try {
        return await fn();
      } finally {
        await sql`select pg_advisory_unlock(${STARTUP_LOCK})`.execute(conn);
      }
    });
}
