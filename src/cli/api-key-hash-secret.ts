import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/index.js';
import { KeystoreError, writeFileAtomic } from '../crypto/index.js';
import { generatePassword, type HomePaths } from './home.js';

const MIN_CHARS = 32;

/** `<home>/resources/security/api-key-hash-secret` (mode 0600). */
export const apiKeyHashSecretFile = (home: HomePaths): string => join(home.security, 'api-key-hash-secret');

/**
 * The secret opaque API keys are hashed under (HMAC-SHA-256), kept like the keystore passwords: `[apim.devportal]
 * api_key_hash_secret` (or `$env{}`) when set, else the file {@link apiKeyHashSecretFile}. The secret is the UTF-8
 * bytes of that text, so the file's content can be moved into `$env{}` unchanged. With `create` (control planes)
 * a missing file is generated; without it (a standalone gateway, which must share the control plane's secret)
 * the result is undefined and opaque keys are refused there.
 * @throws KeystoreError when the configured or stored secret is shorter than 32 characters
 */
export async function loadApiKeyHashSecret(
  home: HomePaths,
  config: Readonly<Config>,
  create: boolean,
): Promise<Buffer | undefined> {
  const configured = config.apim.devportal.api_key_hash_secret;
  const file = apiKeyHashSecretFile(home);
  let text = configured;
  if (text === '') {
    if (!existsSync(file)) {
      if (!create) return undefined;
      await writeFileAtomic(file, `${generatePassword(32)}\n`);
    }
    text = readFileSync(file, 'utf8').trim();
  }
  if (text.length < MIN_CHARS) {
    throw new KeystoreError(
      'KEYSTORE_UNREADABLE',
      configured === '' ? file : 'deployment.toml',
      `the API-key hash secret must be at least ${MIN_CHARS} characters`,
    );
  }
  return Buffer.from(text, 'utf8');
}
