import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Which SQLite binding serves the embedded store. */
export type SqliteBinding = 'node:sqlite' | 'better-sqlite3';

/** The binding for this Node version: the built-in `node:sqlite` from Node 24, better-sqlite3 before. */
export function sqliteBindingFor(nodeVersion: string = process.versions.node): SqliteBinding {
  return Number(nodeVersion.split('.')[0]) >= 24 ? 'node:sqlite' : 'better-sqlite3';
}

// Node 24 changed node::ObjectWrap so that better-sqlite3 12's Statement destructor aborts the process
// ("Assertion failed: (env) != nullptr" in RemoveEnvironmentCleanupHook) when V8 collects a statement at the wrong
// moment; better-sqlite3 13 fixes it but crashes on Node 20. So Node 24 uses the built-in binding, whose statements
// Kysely sees through this adapter (positional parameters spread, `reader` from the column count).
interface NodeSqliteStatement {
  all(...params: unknown[]): unknown[];
  run(...params: unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint };
  iterate(...params: unknown[]): IterableIterator<unknown>;
  columns(): unknown[];
}
interface NodeSqliteDatabase {
  exec(sql: string): void;
  prepare(sql: string): NodeSqliteStatement;
  close(): void;
}

/**
 * Opens the SQLite file with the binding for this Node version, in WAL mode with `synchronous = FULL` (a committed
 * write survives kill -9 and power loss), foreign keys on and a 5 s busy timeout.
 */
export async function openSqlite(
  file: string,
  binding: SqliteBinding = sqliteBindingFor(),
): Promise<SqliteDatabase> {
  const pragmas = ['journal_mode = WAL', 'synchronous = FULL', 'foreign_keys = ON', 'busy_timeout = 5000'];
  if (binding === 'node:sqlite') {
    const { DatabaseSync } = (await import('node:sqlite' as string)) as {
      DatabaseSync: new (path: string) => NodeSqliteDatabase;
    };
    const db = new DatabaseSync(file);
    for (const p of pragmas) db.exec(`PRAGMA ${p}`);
    return {
      close: () => db.close(),
      prepare(sql): SqliteStatement {
        const stmt = db.prepare(sql);
        return {
          reader: stmt.columns().length > 0,
          // node:sqlite rows have a null prototype; callers (and deepStrictEqual) expect plain objects as
          // better-sqlite3 returns them.
          all: (params) => stmt.all(...params).map((row) => ({ ...(row as object) })),
          run: (params) => stmt.run(...params),
          *iterate(params) {
            for (const row of stmt.iterate(...params)) yield { ...(row as object) };
          },
        };
      },
    };
  }
  const { default: BetterSqlite } = await import('better-sqlite3');
  const db = new BetterSqlite(file);
  for (const p of pragmas) db.pragma(p);
  return db as unknown as SqliteDatabase;
}
