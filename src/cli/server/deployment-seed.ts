import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { UserService } from '../../control-plane/index.js';
import { settingsRepository, withStartupLock, type Store } from '../../store/index.js';
import { generatePassword, type HomePaths } from '../home.js';

/** The settings key holding the deployment's token issuer. */
export const ISSUER_SETTING = 'deployment.oauth.issuer';

/** What every control plane of a deployment shares, settled once at the first start. */
export interface DeploymentSeed {
  /** The super admin's user name. */
  adminUser: string;
  /** `iss` of every token of the deployment (never derived from this process's port). */
  issuer: string;
}

/**
 * Seeds the deployment under the startup lock, so control planes starting at once on a fresh database do it one
 * after the other: the super admin account, and the issuer — `[oauth] issuer` when set, else the one stored by
 * the first control plane, else `defaultIssuer` (WSO2's `https://<hostname>:<https port>/oauth2/token` of this
 * process), stored for the others.
 */
export function seedDeployment(
  home: HomePaths,
  config: Readonly<Config>,
  store: Store,
  users: UserService,
  logger: Logger,
  defaultIssuer: string,
): Promise<DeploymentSeed> {
  return withStartupLock(store, async () => ({
    adminUser: await ensureSuperAdmin(home, config, users, logger),
    issuer: await deploymentIssuer(store, config, defaultIssuer, logger),
  }));
}

async function deploymentIssuer(
  store: Store,
  config: Readonly<Config>,
  defaultIssuer: string,
  logger: Logger,
): Promise<string> {
  const settings = settingsRepository(store);
  const stored = await settings.get(ISSUER_SETTING);
  const configured = config.oauth.issuer;
  if (configured !== '') {
    if (stored !== configured) {
      if (stored !== undefined) {
        logger.warn(
          { previous: stored, issuer: configured },
          'the token issuer changed: earlier tokens are refused',
        );
      }
      await settings.set(ISSUER_SETTING, configured);
    }
    return configured;
  }
  if (stored !== undefined) return stored;
  await settings.set(ISSUER_SETTING, defaultIssuer);
  logger.info({ issuer: defaultIssuer }, 'token issuer of this deployment');
  return defaultIssuer;
}

async function ensureSuperAdmin(
  home: HomePaths,
  config: Readonly<Config>,
  users: UserService,
  logger: Logger,
): Promise<string> {
  const sa = config.super_admin;
  if (!sa.create_admin_account || (await users.get(sa.username))) return sa.username;
  let password = sa.password;
  if (!password) {
    password = generatePassword();
    if (!existsSync(home.initialAdminPassword)) {
      writeFileSync(home.initialAdminPassword, `${password}\n`, { mode: 0o600 });
      chmodSync(home.initialAdminPassword, 0o600);
    }
    // Printed once, on the first start only; the file keeps it for the operator (mode 0600).
    console.log(
      `Generated password for super admin "${sa.username}": ${password} (also in ${home.initialAdminPassword})`,
    );
  }
  await users.create(sa.username, password, ['admin', 'creator', 'publisher', 'subscriber']);
  logger.info({ user: sa.username }, 'super admin account created');
  return sa.username;
}
