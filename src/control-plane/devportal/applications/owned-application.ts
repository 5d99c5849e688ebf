import { RestError } from '../../../core/index.js';
import { applicationsRepository, type ApplicationRow } from '../../../store/index.js';
import type { Kysely } from 'kysely';
import type { Database } from '../../../store/index.js';

/**
 * The application `uuid` if `username` owns it. @throws RestError APPLICATION_NOT_FOUND otherwise (also for another
 * user's application, so its existence is not revealed).
 */
export async function ownedApplication(
  db: Kysely<Database>,
  uuid: string,
  username: string,
): Promise<ApplicationRow> {
  const row = await applicationsRepository(db).findByUuid(uuid);
  if (!row || row.owner !== username) {
    throw new RestError('APPLICATION_NOT_FOUND', `Application ${uuid} not found`);
  }
  return row;
}
