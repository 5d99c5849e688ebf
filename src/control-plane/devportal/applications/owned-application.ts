import { RestError } from '../../../core/index.js';
import { applicationsRepository, type ApplicationRow, type Queryable } from '../../../store/index.js';

/**
 * The application `uuid` if `username` owns it. @throws RestError APPLICATION_NOT_FOUND otherwise (also for another
 * user's application, so its existence is not revealed).
 */
export async function ownedApplication(
  db: Queryable,
  uuid: string,
  username: string,
): Promise<ApplicationRow> {
  const row = await applicationsRepository(db).findByUuid(uuid);
  if (!row || row.owner !== username) {
    throw new RestError('APPLICATION_NOT_FOUND', `Application ${uuid} not found`);
  }
  return row;
}
