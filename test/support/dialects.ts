import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../src/store/index.js';

/** The PostgreSQL URL for tests: PORTICO_TEST_PG_URL, else the machine's local server. */
export const pgUrl = process.env.PORTICO_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDialect {
  name: 'sqlite' | 'postgres';
  /** Opens a fresh, migrated, isolated store (a temp SQLite file, or a new PostgreSQL schema). */
  open(): Promise<Store>;
}

/**
 * The store dialects every store test loops over. PostgreSQL is required when CI is set (a missing
 * server fails the run); elsewhere it is skipped with a message when unreachable.
 */
export async function testDialects(): Promise<TestDialect[]> {
  const out: TestDialect[] = [
    {
      name: 'sqlite',
      async open() {
        const dir = mkdtempSync(join(tmpdir(), 'portico-store-'));
        const store = await openStore({ type: 'sqlite', url: join(dir, 'portico.db') });
        await store.migrate();
        return store;
      },
    },
  ];
  if (await pgReachable()) {
    out.push({
      name: 'postgres',
      async open() {
        // One database per store: Kysely's migrator introspects every schema, so schemas would collide.
        const name = `portico_t_${randomBytes(6).toString('hex')}`;
        await adminQuery(`CREATE DATABASE ${name}`);
        const url = new URL(pgUrl);
        url.pathname = `/${name}`;
        const store = await openStore({ type: 'postgres', url: url.toString(), poolSize: 4 });
        await store.migrate();
        const close = store.close.bind(store);
        return Object.assign(store, {
          async close() {
            await close();
            await adminQuery(`DROP DATABASE IF EXISTS ${name}`).catch(() => {});
          },
        });
      },
    });
  } else if (process.env.CI) {
    throw new Error(`PostgreSQL is required in CI but ${pgUrl} is unreachable`);
  } else {
    console.warn(`# PostgreSQL at ${pgUrl} unreachable: store tests run on SQLite only`);
  }
  return out;
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function pgReachable(): Promise<boolean> {
  const c = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 2000 });
  try {
    await c.connect();
    await c.end();
    return true;
  } catch {
    return false;
  }
}
