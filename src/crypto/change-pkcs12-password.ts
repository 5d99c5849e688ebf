import { KeystoreError } from './keystore-error.js';
import { readKeystoreEntries } from './load-keystore.js';
import { writeFileAtomic } from './write-file-atomic.js';
import { writePkcs12, type Pkcs12CertEntry, type Pkcs12KeyEntry } from './write-pkcs12.js';

/**
 * Re-encrypts a PKCS#12 keystore or trust store under a new password, keeping every entry (same keys, same
 * certificates, same aliases). The file is replaced atomically (mode 0600).
 * @throws KeystoreError `KEYSTORE_BAD_PASSWORD` (old password wrong, or a key entry it cannot decrypt), or what
 * {@link loadKeystore} throws for an unreadable file
 * @example await changePkcs12Password({ file, oldPassword: '', newPassword: generated });
 */
export async function changePkcs12Password(opts: {
  file: string;
  oldPassword: string;
  newPassword: string;
}): Promise<void> {
  const raws = await readKeystoreEntries({ file: opts.file, type: 'PKCS12', password: opts.oldPassword });
  const keys: Pkcs12KeyEntry[] = [];
  const certs: Pkcs12CertEntry[] = [];
  for (const r of raws) {
    if (r.kind === 'key') {
      if (!r.key) {
        throw new KeystoreError('KEYSTORE_BAD_PASSWORD', opts.file, 'a key entry cannot be decrypted', {
          alias: r.alias,
          cause: r.keyError,
        });
      }
      keys.push({ alias: r.alias, key: r.key, chain: r.chain });
    } else if (r.chain[0]) certs.push({ alias: r.alias, cert: r.chain[0] });
  }
  await writeFileAtomic(opts.file, writePkcs12({ password: opts.newPassword, keys, certs }));
}
