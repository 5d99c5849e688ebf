import { readFileSync, writeFileSync } from 'node:fs';
import { KeystoreError, type KeystoreEntry } from '../../crypto/index.js';
import { initHome, loadHomeConfig, resolveHome } from '../home.js';
import { loadServerKeys } from '../keys.js';

function row(store: string, e: KeystoreEntry): string {
  return [
    store,
    e.alias,
    e.kind === 'key' ? 'PrivateKeyEntry' : 'trustedCertEntry',
    e.subjectCN ?? '-',
    e.notAfter.toISOString(),
    e.sha256Fingerprint,
  ].join('\t');
}

/** `portico keystore list`: entries of the primary keystore and the trust store. */
export async function keystoreList(opts: { home?: string }): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const keys = await loadServerKeys(home, loadHomeConfig(home));
  console.log(['store', 'alias', 'entry', 'CN', 'not after', 'SHA-256 fingerprint'].join('\t'));
  for (const e of keys.primaryKeystore.entries()) console.log(row('keystore', e));
  for (const e of keys.trustStore.list()) console.log(row('truststore', e));
}

/** `portico keystore import-cert --alias A --file F`: adds a PEM or DER certificate to the trust store (like `keytool -import`). */
export async function keystoreImportCert(opts: {
  home?: string;
  alias: string;
  file: string;
  replace?: boolean;
}): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const keys = await loadServerKeys(home, loadHomeConfig(home));
  let data: Buffer;
  try {
    data = readFileSync(opts.file);
  } catch {
    throw new KeystoreError('KEYSTORE_NOT_FOUND', opts.file, 'cannot read the certificate file');
  }
  const entry = keys.trustStore.add(opts.alias, data, { replace: opts.replace ?? false });
  await keys.trustStore.save();
  console.log(
    `Certificate was added to the trust store under alias "${entry.alias}" (SHA-256 ${entry.sha256Fingerprint}).`,
  );
  console.log('A running Portico picks it up on restart.');
}

/** `portico keystore export-cert --alias A [--file F]`: the certificate of an alias as PEM (keystore first, then trust store). */
export async function keystoreExportCert(opts: {
  home?: string;
  alias: string;
  file?: string;
}): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const keys = await loadServerKeys(home, loadHomeConfig(home));
  let pem: string | undefined;
  try {
    pem = keys.primaryKeystore.certificatePem(opts.alias);
  } catch {
    pem = keys.trustStore.get(opts.alias);
  }
  if (!pem)
    throw new KeystoreError(
      'KEYSTORE_ALIAS_NOT_FOUND',
      home.security,
      `no certificate with alias "${opts.alias}"`,
    );
  if (opts.file) {
    writeFileSync(opts.file, pem);
    console.log(`Certificate stored in file <${opts.file}>`);
  } else process.stdout.write(pem);
}
