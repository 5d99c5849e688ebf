import type { Config } from '../../config/index.js';
import { openStore, type Store } from '../../store/index.js';
import type { HomePaths } from '../home.js';

/** Opens the store named by `[database.apim_db]`, defaulting to `<home>/database/portico.db`. */
export async function openConfiguredStore(home: HomePaths, config: Readonly<Config>): Promise<Store> {
  const db = config.database.apim_db;
  const url = db.url || `${home.database}/portico.db`;
  const store = await openStore({ type: db.type, url, poolSize: db.pool_size });
  await store.migrate();
  return store;
}
