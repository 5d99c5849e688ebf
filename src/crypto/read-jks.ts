import { createPrivateKey, X509Certificate } from 'node:crypto';
import jks from 'jks-js';
import { KeystoreError } from './keystore-error.js';
import type { KeystoreSpec, RawEntry } from './keystore.js';

/**
 * Reads a Java KeyStore (`FEEDFEED`) with jks-js: key entries (decrypted with `keyPassword`, default the store
 * password) and trusted certificate entries.
 * @throws KeystoreError `KEYSTORE_BAD_PASSWORD` (store integrity check failed), `KEYSTORE_UNREADABLE`
 */
export function readJks(buf: Buffer, spec: KeystoreSpec): RawEntry[] {
  let parsed: ReturnType<typeof jks.parseJks>;
  try {
    parsed = jks.parseJks(buf, spec.password);
  } catch (err) {
    if (err instanceof Error && /Password verification failed/.test(err.message)) {
      throw new KeystoreError('KEYSTORE_BAD_PASSWORD', spec.file, 'wrong keystore password', { cause: err });
    }
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'not a valid JKS file', { cause: err });
  }
  const keyPassword = spec.keyPassword ?? spec.password;
  return parsed.map((e): RawEntry => {
    if (!('protectedPrivateKey' in e)) {
      return { alias: e.alias, kind: 'cert', chain: [toX509(e.cert.value, spec, e.alias)] };
    }
    const chain = e.chain.map((c) => toX509(c.value, spec, e.alias));
    try {
      const key = createPrivateKey(jks.decrypt(e.protectedPrivateKey, keyPassword));
      return { alias: e.alias, kind: 'key', chain, key };
    } catch (err) {
      const keyError = new KeystoreError(
        'KEYSTORE_BAD_PASSWORD',
        spec.file,
        'cannot decrypt the private key: wrong key password (keyPassword)',
        { alias: e.alias, cause: err },
      );
      return { alias: e.alias, kind: 'key', chain, keyError };
    }
  });
}

function toX509(der: Buffer, spec: KeystoreSpec, alias: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new KeystoreError('KEYSTORE_UNREADABLE', spec.file, 'the certificate cannot be parsed', {
      alias,
      cause: err,
    });
  }
}
