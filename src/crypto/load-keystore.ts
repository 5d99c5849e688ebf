import { readFile } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { detectKeystoreType } from './detect-keystore-type.js';
import { KeystoreError } from './keystore-error.js';
import { keystoreFromEntries } from './keystore.js';
import type { Keystore, KeystoreSpec, RawEntry } from './keystore.js';
import { readJks } from './read-jks.js';
import { readPem } from './read-pem.js';
import { readPkcs12 } from './read-pkcs12.js';

/**
 * Loads a keystore (PKCS#12, JKS or PEM). The declared type must match the file's magic bytes: a `.jks` file
 * written by Java 9+ keytool without `-storetype JKS` is PKCS#12, and that is reported, not guessed around.
 * @throws KeystoreError `KEYSTORE_NOT_FOUND`, `KEYSTORE_TYPE_MISMATCH`, `KEYSTORE_BAD_PASSWORD`,
 * `KEYSTORE_ALIAS_NOT_FOUND` (`spec.alias` absent), `KEYSTORE_UNREADABLE`
 * @example
 * const ks = await loadKeystore({ file: '/home/portico/resources/security/wso2carbon.jks', type: 'JKS',
 *   password: 'wso2carbon', alias: 'wso2carbon' });
 * const key = ks.privateKey();
 */
export async function loadKeystore(spec: KeystoreSpec): Promise<Keystore> {
  return keystoreFromEntries(spec, await readKeystoreEntries(spec));
}

/** Reads and decodes the file of `spec` into raw entries (shared with the trust store). */
export async function readKeystoreEntries(spec: KeystoreSpec): Promise<RawEntry[]> {
  const buf = await readKeystoreFile(spec.file);
  const actual = detectKeystoreType(buf);
  if (actual === 'JCEKS' || actual === 'unknown') {
    const what = actual === 'JCEKS' ? 'a JCEKS keystore, which is not supported' : 'not a keystore';
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, `the file is ${what} (use PKCS12, JKS or PEM)`);
  }
  if (actual !== spec.type) {
    throw new KeystoreError(
      'KEYSTORE_TYPE_MISMATCH',
      spec.file,
      `declared type is ${spec.type} but the file is ${actual}; set the type to "${actual}"`,
    );
  }
  switch (actual) {
    case 'JKS':
      return readJks(buf, spec);
    case 'PKCS12':
      return readPkcs12(buf, spec);
    case 'PEM':
      return readPem(buf, spec);
  }
}

async function readKeystoreFile(file: string): Promise<Buffer> {
  if (!isAbsolute(file)) {
    throw new KeystoreError('KEYSTORE_NOT_FOUND', file, 'the path must be absolute');
  }
  try {
    const buf = await readFile(file);
    if (buf.length === 0) throw new KeystoreError('KEYSTORE_UNREADABLE', file, 'the file is empty');
    return buf;
  } catch (err) {
    if (err instanceof KeystoreError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT')
      throw new KeystoreError('KEYSTORE_NOT_FOUND', file, 'no such file', { cause: err });
    const detail = code === 'EACCES' ? 'permission denied' : `cannot read the file (${code ?? 'error'})`;
    throw new KeystoreError('KEYSTORE_UNREADABLE', file, detail, { cause: err });
  }
}
