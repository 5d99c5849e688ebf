import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { Logger } from 'pino';
import { changePkcs12Password, KeystoreError, writeFileAtomic, type KeystoreType } from '../crypto/index.js';
import { generatePassword } from './home.js';

/** How {@link openGeneratedStore} reaches one store (the primary keystore or the trust store). */
export interface GeneratedStoreSpec<T> {
  /** What to call it in messages: `primary keystore`, `trust store`. */
  what: string;
  /** The store file (absolute). */
  file: string;
  type: KeystoreType;
  /** The password from deployment.toml; empty = use (or generate) the password file. */
  configured: string;
  /** `<home>/resources/security/<store>-password`, mode 0600. */
  passwordFile: string;
  /** Creates the missing store file with this password. */
  create(password: string): Promise<unknown>;
  open(password: string): Promise<T>;
  logger?: Logger | undefined;
}

/**
 * Opens a store Portico creates itself, with a password that is never empty by default:
 * - a password set in deployment.toml (or `$env{}`) is used as is, and no file is written;
 * - else the password file is read; when it is missing and so is the store, a password is generated and written
 *   to it (mode 0600) before the store is created with it;
 * - a PKCS#12 store created with an empty password by an older Portico is re-encrypted in place under a generated
 *   password (same keys and certificates), so existing homes keep working. A crash between writing the password
 *   file and re-encrypting is finished at the next start.
 * @throws KeystoreError when the store does not open (the message names the file and where the password came from)
 */
export async function openGeneratedStore<T>(spec: GeneratedStoreSpec<T>): Promise<T> {
  if (spec.configured !== '') {
    if (!existsSync(spec.file)) await spec.create(spec.configured);
    return spec.open(spec.configured);
  }
  if (!existsSync(spec.passwordFile)) {
    const password = generatePassword(24);
    if (!existsSync(spec.file)) {
      await writeFileAtomic(spec.passwordFile, `${password}\n`);
      await spec.create(password);
      return spec.open(password);
    }
    const legacy = await spec.open('').catch((err: unknown) => {
      throw explain(err, spec, 'the password is not set in deployment.toml and there is no password file');
    });
    if (spec.type !== 'PKCS12') return legacy;
    await writeFileAtomic(spec.passwordFile, `${password}\n`);
    return reencrypt(spec, password, legacy);
  }
  const password = readFileSync(spec.passwordFile, 'utf8').replace(/\r?\n$/, '');
  if (!existsSync(spec.file)) {
    await spec.create(password);
    return spec.open(password);
  }
  try {
    return await spec.open(password);
  } catch (err) {
    if (!(err instanceof KeystoreError) || err.code !== 'KEYSTORE_BAD_PASSWORD' || spec.type !== 'PKCS12')
      throw err;
    // Still the empty password: an earlier start wrote the file, then stopped before re-encrypting.
    const legacy = await spec.open('').catch(() => {
      throw explain(err, spec, `the password in ${spec.passwordFile} does not open it`);
    });
    return reencrypt(spec, password, legacy);
  }
}

async function reencrypt<T>(spec: GeneratedStoreSpec<T>, password: string, legacy: T): Promise<T> {
  try {
    await changePkcs12Password({ file: spec.file, oldPassword: '', newPassword: password });
  } catch (err) {
    // A read-only mount, say: keep serving with the empty password rather than refuse to start.
    rmSync(spec.passwordFile, { force: true });
    spec.logger?.warn(
      { file: spec.file, err: (err as Error).message },
      `the ${spec.what} has an empty password and could not be re-encrypted; set its password in deployment.toml`,
    );
    return legacy;
  }
  spec.logger?.warn(
    { file: spec.file, passwordFile: spec.passwordFile },
    `the ${spec.what} had an empty password: re-encrypted with a generated one (same keys and certificates)`,
  );
  return spec.open(password);
}

function explain(err: unknown, spec: GeneratedStoreSpec<unknown>, why: string): unknown {
  if (!(err instanceof KeystoreError) || err.code !== 'KEYSTORE_BAD_PASSWORD') return err;
  return new KeystoreError(
    'KEYSTORE_BAD_PASSWORD',
    spec.file,
    `wrong password (${why}); set the ${spec.what} password in deployment.toml`,
    { cause: err },
  );
}
