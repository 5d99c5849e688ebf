import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Wraps a SQLite handle so `prepare` returns a cached statement for SQL it has prepared before. Kysely's SQLite
 * driver prepares every query anew, and parsing and planning the SQL was a visible share of a token request's CPU
 * (docs/benchmarks.md). Reuse is safe because both bindings run `all` and `run` synchronously, so a statement is
 * never in use when it is handed out again (Portico does not stream SQLite results). At most `max` statements are
 * kept; the least recently used is dropped first. Kysely parameterises values, so the SQL texts are few.
 */
export function withStatementCache(db: SqliteDatabase, max = 256): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => {
      cache.clear();
      return db.close();
    },
    prepare(sql) {
      const hit = cache.get(sql);
      if (hit) {
        // Re-insert: Map keeps insertion order, so the first key is the least recently used.
        cache.delete(sql);
        cache.set(sql, hit);
        return hit;
      }
      const stmt = db.prepare(sql);
      cache.set(sql, stmt);
      if (cache.size > max) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return stmt;
    },
  };
}
