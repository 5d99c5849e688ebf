import { RestError } from '../../core/index.js';
import { RESIDENT_KEY_MANAGER } from '../../key-manager/index.js';
import { keyManagersRepository, type Queryable } from '../../store/index.js';

/** The `keyManagers` entry that stands for every enabled key manager (WSO2 `API_LEVEL_ALL_KEY_MANAGERS`). */
export const ALL_KEY_MANAGERS = 'all';

/**
 * Checks an API's `keyManagers` on create, update and import, as WSO2 4.x `APIProviderImpl.validateKeyManagers`:
 * every name other than `all` must be a key manager (the resident one or one registered in the Admin API, enabled
 * or not), else 400 `KEY_MANAGER_NOT_REGISTERED` "Key Manager(s) Not found :a , b"; then at least one must be
 * usable — `all` with an enabled key manager, an enabled named one, or on an update one the API already listed —
 * else WSO2's 404 `KEY_MANAGER_NOT_FOUND` (so `[]`, or only disabled key managers newly named, is refused).
 * Names are case-sensitive, as in WSO2. `existing` is the stored list on an update, null on a create.
 * @throws RestError KEY_MANAGER_NOT_REGISTERED, KEY_MANAGER_NOT_FOUND
 */
export async function checkKeyManagers(
  db: Queryable,
  names: readonly string[],
  existing: readonly string[] | null,
): Promise<void> {
  const registered = new Map((await keyManagersRepository(db).list()).map((r) => [r.name, r.enabled === 1]));
  // The resident key manager lives in deployment.toml and is always on.
  registered.set(RESIDENT_KEY_MANAGER, true);
  const missing = names.filter((n) => n !== ALL_KEY_MANAGERS && !registered.has(n));
  if (missing.length > 0)
    throw new RestError('KEY_MANAGER_NOT_REGISTERED', `Key Manager(s) Not found :${missing.join(' , ')}`);
  const usable = names.some(
    (n) => n === ALL_KEY_MANAGERS || registered.get(n) === true || (existing?.includes(n) ?? false),
  );
  if (!usable)
    throw new RestError(
      'KEY_MANAGER_NOT_FOUND',
      'API must have at least one valid and enabled key manager configured',
    );
}
