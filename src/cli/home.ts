import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import {
  homeFromEnv,
  loadConfigFile,
  renderConfigTemplate,
  type Config,
  type KeystoreConfig,
} from '../config/index.js';

/** Paths inside a Portico home directory (mirrors WSO2's `repository/`). */
export interface HomePaths {
  root: string;
  conf: string;
  configFile: string;
  security: string;
  database: string;
  logs: string;
  /** State of a standalone gateway: its id and persisted last-good snapshot (`portico gateway`). */
  gateway: string;
  initialAdminPassword: string;
  /** Generated password of the primary keystore when deployment.toml sets none (mode 0600). */
  primaryKeystorePassword: string;
  /** Generated password of the trust store when deployment.toml sets none (mode 0600). */
  truststorePassword: string;
}

/** The home directory: `--home`, else PORTICO_HOME, else `./portico-home`. */
export function resolveHome(flag?: string): HomePaths {
  const root = resolve(flag ?? homeFromEnv() ?? 'portico-home');
  return {
    root,
    conf: join(root, 'conf'),
    configFile: join(root, 'conf', 'deployment.toml'),
    security: join(root, 'resources', 'security'),
    database: join(root, 'database'),
    logs: join(root, 'logs'),
    gateway: join(root, 'gateway'),
    initialAdminPassword: join(root, 'initial-admin-password'),
    primaryKeystorePassword: join(root, 'resources', 'security', 'primary-keystore-password'),
    truststorePassword: join(root, 'resources', 'security', 'truststore-password'),
  };
}

/** A random password of URL-safe characters. */
export const generatePassword = (bytes = 18): string => randomBytes(bytes).toString('base64url');

/**
 * Creates the folders and a commented deployment.toml when missing. Keystore passwords are not written there:
 * the first start generates them into `resources/security/*-password` (mode 0600, see `keys.ts`).
 * Returns true when this call created the config (first start).
 */
export function initHome(home: HomePaths): boolean {
  for (const d of [home.conf, home.security, home.database, home.logs])
    mkdirSync(d, { recursive: true, mode: 0o700 });
  if (existsSync(home.configFile)) return false;
  const text = renderConfigTemplate({});
  writeFileSync(home.configFile, text, { mode: 0o600 });
  chmodSync(home.configFile, 0o600);
  return true;
}

/** Loads `<home>/conf/deployment.toml`. @throws ConfigError */
export function loadHomeConfig(home: HomePaths): Readonly<Config> {
  return loadConfigFile(home.configFile);
}

/** Absolute path of a keystore file named in the config (relative names live in resources/security). */
export function keystorePath(home: HomePaths, ks: Pick<KeystoreConfig, 'file_name'>): string {
  return isAbsolute(ks.file_name) ? ks.file_name : join(home.security, ks.file_name);
}

/** Reads the package version. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
