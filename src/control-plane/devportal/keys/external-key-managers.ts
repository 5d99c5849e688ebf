import { RestError } from '../../../core/index.js';
import {
  keyManagerAllows,
  parseDefinition,
  type KeyManagerDefinition,
} from '../../../key-manager/external/index.js';
import { keyManagersRepository, type KeyMappingRow, type Queryable } from '../../../store/index.js';

/**
 * The enabled external key manager a devportal `keyManager` field names (by name or id), or null when it names
 * none (e.g. the resident one). A manager the caller's roles may not use (`permissions`) is reported as unknown.
 * @throws RestError KEY_MANAGER_NOT_FOUND for a disabled or forbidden manager
 */
export async function findExternalKeyManager(
  db: Queryable,
  value: string | undefined,
  roles: readonly string[],
): Promise<KeyManagerDefinition | null> {
  if (value === undefined || value === '') return null;
  const row = await keyManagersRepository(db).findByNameOrUuid(value);
  if (!row) return null;
  const def = parseDefinition(row.definition);
  if (!def || row.enabled !== 1 || !keyManagerAllows(def, roles)) {
    throw new RestError('KEY_MANAGER_NOT_FOUND', `Key manager ${value} not found`);
  }
  return { ...def, id: row.uuid, name: row.name, enabled: true };
}

/** The external key manager of an existing key mapping, or null for the resident one. */
export async function keyManagerOfMapping(
  db: Queryable,
  mapping: KeyMappingRow,
): Promise<KeyManagerDefinition | null> {
  const row = await keyManagersRepository(db).findByName(mapping.key_manager);
  const def = row ? parseDefinition(row.definition) : null;
  return row && def ? { ...def, id: row.uuid, name: row.name, enabled: row.enabled === 1 } : null;
}
