import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPrimaryKeystore, createTrustStore, loadKeystore, loadTrustStore } from '../crypto/index.js';
import { initHome, loadHomeConfig, resolveHome, type HomePaths } from './home.js';
import { loadServerKeys } from './keys.js';

/** A home with the given deployment.toml (as an operator or a container image would write it). */
function homeWith(toml: string | null): HomePaths {
  const home = resolveHome(mkdtempSync(join(tmpdir(), 'portico-keys-')));
  if (toml !== null) {
    mkdirSync(home.conf, { recursive: true });
    writeFileSync(home.configFile, toml);
  }
  initHome(home);
  return home;
}

const primaryFile = (h: HomePaths) => join(h.security, 'portico.p12');
const trustFile = (h: HomePaths) => join(h.security, 'client-truststore.p12');
const openPrimary = (h: HomePaths, password: string) =>
  loadKeystore({ file: primaryFile(h), type: 'PKCS12', password, alias: 'portico' });

async function assertGeneratedPasswords(h: HomePaths): Promise<void> {
  for (const [file, store] of [
    [h.primaryKeystorePassword, primaryFile(h)],
    [h.truststorePassword, trustFile(h)],
  ] as const) {
    assert.equal(statSync(file).mode & 0o777, 0o600, file);
    const password = readFileSync(file, 'utf8').trim();
    assert.ok(password.length >= 20, 'a generated password');
    assert.equal(statSync(store).mode & 0o777, 0o600, store);
    await assert.rejects(loadTrustStore({ file: store, type: 'PKCS12', password: '' }), {
      code: 'KEYSTORE_BAD_PASSWORD',
    });
  }
  await openPrimary(h, readFileSync(h.primaryKeystorePassword, 'utf8').trim());
}

test('a deployment.toml without keystore passwords: generated ones in 0600 files, the stores refuse an empty password', async () => {
  const h = homeWith('[server]\noffset = 7\n');
  const keys = await loadServerKeys(h, loadHomeConfig(h));
  assert.equal(keys.primary.alias, 'portico');
  await assertGeneratedPasswords(h);
  // The next start reads the files and opens the same key.
  const again = await loadServerKeys(h, loadHomeConfig(h));
  assert.equal(again.primary.certificatePem, keys.primary.certificatePem);
});

test('a fresh home keeps the generated keystore passwords out of deployment.toml', async () => {
  const h = homeWith(null);
  await loadServerKeys(h, loadHomeConfig(h));
  await assertGeneratedPasswords(h);
  const toml = readFileSync(h.configFile, 'utf8');
  assert.doesNotMatch(toml, /^password = /m);
  assert.doesNotMatch(toml, new RegExp(readFileSync(h.primaryKeystorePassword, 'utf8').trim()));
});

test('passwords set in deployment.toml are honoured and no password file is written', async () => {
  const h = homeWith(
    '[keystore.primary]\npassword = "primary-from-toml"\n[truststore]\npassword = "trust-from-toml"\n',
  );
  await loadServerKeys(h, loadHomeConfig(h));
  await openPrimary(h, 'primary-from-toml');
  await loadTrustStore({ file: trustFile(h), type: 'PKCS12', password: 'trust-from-toml' });
  assert.equal(existsSync(h.primaryKeystorePassword), false);
  assert.equal(existsSync(h.truststorePassword), false);
});

test('stores created with an empty password by an older Portico still open and are re-encrypted in place', async () => {
  const h = homeWith('');
  const old = await createPrimaryKeystore({
    file: primaryFile(h),
    password: '',
    alias: 'portico',
    hostname: 'localhost',
  });
  const oldPem = old.certificatePem('portico');
  await createTrustStore({ file: trustFile(h), password: '', certs: { gateway_certificate_alias: oldPem } });

  const keys = await loadServerKeys(h, loadHomeConfig(h));
  assert.equal(
    keys.primary.certificatePem,
    oldPem,
    'same key and certificate: tokens and API keys stay valid',
  );
  assert.equal(keys.trustStore.get('gateway_certificate_alias'), oldPem);
  await assertGeneratedPasswords(h);
});

test('a crash between writing the password file and re-encrypting is finished at the next start', async () => {
  const h = homeWith('');
  const old = await createPrimaryKeystore({
    file: primaryFile(h),
    password: '',
    alias: 'portico',
    hostname: 'localhost',
  });
  writeFileSync(h.primaryKeystorePassword, 'left-by-a-crash-1234567\n', { mode: 0o600 });
  const keys = await loadServerKeys(h, loadHomeConfig(h));
  assert.equal(keys.primary.certificatePem, old.certificatePem('portico'));
  await openPrimary(h, 'left-by-a-crash-1234567');
  await assert.rejects(openPrimary(h, ''), { code: 'KEYSTORE_BAD_PASSWORD' });
});

test('a password file that does not open the keystore is a clear error', async () => {
  const h = homeWith('');
  await loadServerKeys(h, loadHomeConfig(h));
  writeFileSync(h.primaryKeystorePassword, 'not-the-password\n');
  await assert.rejects(loadServerKeys(h, loadHomeConfig(h)), (err: Error) => {
    assert.match(err.message, /portico\.p12/);
    assert.match(err.message, /primary-keystore-password/);
    assert.doesNotMatch(err.message, /not-the-password/);
    return true;
  });
});
