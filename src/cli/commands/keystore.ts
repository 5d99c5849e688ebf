import { readFileSync, writeFileSync } from 'node:fs';
import { systemClock } from '../../core/index.js';
import { KeystoreError, type KeystoreEntry } from '../../crypto/index.js';
import { importTrustedCert, seedTrustStoreOnce, type TrustedCertificate } from '../../control-plane/index.js';
import { createChangeLog } from '../../store/index.js';
import { openConfiguredStore } from '../server/configured-store.js';
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

/**
 * `portico keystore import-cert --alias A --file F [--replace]`: adds a PEM or DER certificate to the deployment's
 * trust store (like `keytool -import`). The store is the trust store of a running deployment (ADR 0007): the
 * certificate is written there with its change-log row, so running gateways apply it within about a second; the
 * trust store file is updated too (it seeds a new deployment and holds the TLS trust anchors).
 * @throws RestError INVALID_CERTIFICATE, INVALID_CERTIFICATE_ALIAS, CERTIFICATE_ALIAS_EXISTS; KeystoreError
 */
export async function keystoreImportCert(opts: {
  home?: string;
  alias: string;
  file: string;
  replace?: boolean;
}): Promise<void> {
  const home = resolveHome(opts.home);
  initHome(home);
  const config = loadHomeConfig(home);
  const keys = await loadServerKeys(home, config);
  let data: Buffer;
  try {
    data = readFileSync(opts.file);
  } catch {
    throw new KeystoreError('KEYSTORE_NOT_FOUND', opts.file, 'cannot read the certificate file');
  }
  const store = await openConfiguredStore(home, config);
  let entry: TrustedCertificate;
  try {
    const changes = createChangeLog(store, systemClock);
    // A deployment that never started has not imported its file yet: do it first, as its first start would.
    const fileCerts: Record<string, string> = {};
    for (const e of keys.trustStore.list()) fileCerts[e.alias] = e.certificatePem;
    await seedTrustStoreOnce(store, fileCerts);
    entry = (await importTrustedCert(changes, opts.alias, data, { replace: opts.replace ?? false })).result
      .entry;
  } finally {
    await store.close();
  }
  console.log(
    `Certificate was added to the trust store under alias "${entry.alias}" (SHA-256 ${entry.sha256Fingerprint}).`,
  );
  try {
    keys.trustStore.add(entry.alias, entry.certificate, { replace: true });
    await keys.trustStore.save();
  } catch (err) {
    const why = err instanceof KeystoreError ? err.detail : String(err);
    console.warn(`portico: the trust store file was not updated (${why}); the deployment's trust store was.`);
  }
  console.log('A running Portico applies it within about a second, without a restart.');
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
