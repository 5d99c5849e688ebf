import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { openStore, type Store } from '../../store/index.js';
import type { HomePaths } from '../home.js';

/** One warning per 10 s while the database is away, not one per failed connection. */
const WARN_EVERY_MS = 10_000;

/**
 * Opens the store named by `[database.apim_db]`, defaulting to `<home>/database/portico.db`. Lost PostgreSQL
 * connections are logged (requests answer 503 `STORE_UNAVAILABLE` meanwhile) and never end the process.
 */
export async function openConfiguredStore(
  home: HomePaths,
  config: Readonly<Config>,
  logger?: Logger,
): Promise<Store> {
  const db = config.database.apim_db;
  const url = db.url || `${home.database}/portico.db`;
  let lastWarning = 0;
  const onConnectionError = (err: Error) => {
    if (Date.now() - lastWarning < WARN_EVERY_MS) return;
    lastWarning = Date.now();
    logger?.warn({ cause: err.message }, 'database connection lost; requests answer 503 until it is back');
  };
  const store = await openStore({ type: db.type, url, poolSize: db.pool_size, onConnectionError });
  await store.migrate();
  return store;
}
