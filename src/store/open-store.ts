import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { migrations } from './migrations/index.js';
import { openSqlite } from './open-sqlite.js';
import { withStatementCache } from './statement-cache.js';
import type { Database } from './schema.js';

import type { Dialect } from './dialect.js';

export type { Dialect };

export interface StoreOptions {
  type: Dialect;
  /** SQLite file path (`:memory:` allowed) or PostgreSQL connection URL. */
  url: string;
  poolSize?: number;
  /**
   * Told when a pooled PostgreSQL connection fails while idle (the server restarted or the network dropped). The
   * pool replaces it; without a listener the error would end the process.
   */
  onConnectionError?: (err: Error) => void;
}

/** A transaction of the store, as `Store.transaction` and the change log's `write` hand it to a callback. */
export type StoreTransaction = Transaction<Database>;

/**
 * The opened store: transactions plus lifecycle. Its query builder is private to `store/`: code elsewhere reads
 * and writes through the repositories (`usersRepository(store)`, `applicationsRepository(trx)`, ...).
 */
export interface Store {
  readonly dialect: Dialect;
  /** Runs `fn` in one transaction. */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs read-only `fn` on one consistent view of the store (PostgreSQL REPEATABLE READ; a SQLite read
   * transaction), e.g. a snapshot together with the change version it includes.
   */
  consistentRead<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; rejects (fast, see the pool's connect timeout) when not. */
  ping(): Promise<void>;
  /** Applies pending migrations (idempotent, safe to call at every start). Returns names applied now. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

// PostgreSQL returns int8 as strings; our bigint columns are epoch milliseconds, well inside 2^53.
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * Opens the store on SQLite (embedded, WAL, synchronous=FULL so a committed write survives kill -9) or PostgreSQL.
 * @example const store = await openStore({ type: 'sqlite', url: '/home/portico/database/portico.db' }); await store.migrate();
 */
export async function openStore(opts: StoreOptions): Promise<Store> {
  let db: Kysely<Database>;
  if (opts.type === 'sqlite') {
    if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
    const database = withStatementCache(await openSqlite(opts.url));
    db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  } else {
    // A request waits at most 5 s for a connection, then fails as unavailable (503) instead of hanging.
    const pool = new pg.Pool({
      connectionString: opts.url,
      max: opts.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
    });
    // pg emits 'error' on a client whose socket ends, idle (the pool's event) or checked out (the client's own):
    // the query in flight is failed either way, and without these listeners the process would exit.
    pool.on('error', (err) => opts.onConnectionError?.(err));
    pool.on('connect', (client) => client.on('error', (err) => opts.onConnectionError?.(err)));
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const dialect = opts.type;
  const store: Store = {
    dialect,
    transaction: (fn) => db.transaction().execute(fn),
    consistentRead: (fn) =>
      dialect === 'postgres'
        ? db.transaction().setIsolationLevel('repeatable read').execute(fn)
        : db.transaction().execute(fn),
    async ping() {
      await sql`select 1`.execute(db);
    },
    async migrate() {
      const provider = {
        async getMigrations(): Promise<Record<string, Migration>> {
          const out: Record<string, Migration> = {};
          for (const m of migrations) out[m.name] = { up: (k) => m.up(k, dialect) };
          return out;
        },
      };
      const migrator = new Migrator({
        db,
        provider,
        migrationTableName: 'portico_migration',
        migrationLockTableName: 'portico_migration_lock',
        // Migration numbers are reserved per feature and land out of order (006 after 008): a store that already
        // ran a higher number still applies a lower one. Migrations are independent of each other's order.
        allowUnorderedMigrations: true,
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error instanceof Error ? error : new Error(String(error));
      return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    },
    close: () => db.destroy(),
  };
  handles.set(store, db);
  return store;
}

/** What a repository reads and writes through: the opened store or one of its transactions. */
export type Queryable = Store | StoreTransaction;

const handles = new WeakMap<Store, Kysely<Database>>();

/** The query builder of a store or transaction. Only `store/` calls this (it is not exported from the index). */
export function dbOf(q: Queryable): Kysely<Database> {
  if (q instanceof Kysely) return q;
  const db = handles.get(q);
  if (!db) throw new Error('not an opened Portico store');
  return db;
}
