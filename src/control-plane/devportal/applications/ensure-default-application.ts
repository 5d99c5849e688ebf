import { changeKeys, newUuid } from '../../../core/index.js';
import {
  applicationsRepository,
  settingsRepository,
  type ChangeLog,
  type Store,
} from '../../../store/index.js';

/** WSO2 gives every Developer Portal user this application on first use. */
export const DEFAULT_APPLICATION = {
  name: 'DefaultApplication',
  throttlingPolicy: 'Unlimited',
  description: 'This is the default application',
} as const;

/**
 * Creates the user's `DefaultApplication` (Unlimited policy) once: a marker in settings remembers it, so a user who
 * deletes it does not get it back. Returns the new application's uuid, or null when nothing was created; the
 * creation is in the change log with the insert (sign-up calls this too).
 */
export async function ensureDefaultApplication(
  store: Store,
  changes: ChangeLog,
  username: string,
  now: number = Date.now(),
): Promise<string | null> {
  const marker = `devportal.default_application.${username}`;
  if (await settingsRepository(store).get(marker)) return null;
  try {
    return await changes.write(async (trx, record) => {
      const settings = settingsRepository(trx);
      if (await settings.get(marker)) return null;
      const apps = applicationsRepository(trx);
      let uuid: string | null = null;
      if (!(await apps.findByOwnerAndName(username, DEFAULT_APPLICATION.name))) {
        uuid = newUuid();
        const id = await apps.create({
          uuid,
          name: DEFAULT_APPLICATION.name,
          owner: username,
          throttlingPolicy: DEFAULT_APPLICATION.throttlingPolicy,
          description: DEFAULT_APPLICATION.description,
          now,
        });
        record(changeKeys.application(id));
      }
      await settings.set(marker, String(now));
      return uuid;
    });
  } catch (err) {
    // A concurrent first request created it (unique owner+name, or the marker): that is the outcome we wanted.
    if (await settingsRepository(store).get(marker)) return null;
    throw err;
  }
}
