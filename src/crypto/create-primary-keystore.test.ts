import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { keytool, tempDir } from '../../test/fixtures/keystores/keytool.js';
import { createPrimaryKeystore, KeystoreError, loadKeystore } from './index.js';

const { dir, cleanup } = tempDir();
after(cleanup);

describe('createPrimaryKeystore', () => {
  const file = join(dir, 'primary.p12');
  const now = new Date('2026-03-01T00:00:00Z');

  it('writes a PKCS12 keytool lists as a PrivateKeyEntry with the expected certificate', async () => {
    const ks = await createPrimaryKeystore({
      file,
      password: 'wso2carbon',
      alias: 'wso2carbon',
      hostname: 'gw.example.com',
      now,
    });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const out = keytool([
      '-list',
      '-v',
      '-storetype',
      'PKCS12',
      '-keystore',
      file,
      '-storepass',
      'wso2carbon',
    ]);
    assert.match(out, /Your keystore contains 1 entry/);
    assert.match(out, /Alias name: wso2carbon\n/);
    assert.match(out, /Entry type: PrivateKeyEntry/);
    assert.match(out, /Owner: CN=gw\.example\.com\n/);
    assert.match(out, /Signature algorithm name: SHA256withRSA/);
    assert.match(out, /2048-bit RSA key/);
    assert.match(out, /DNSName: gw\.example\.com\s+DNSName: localhost\s+IPAddress: 127\.0\.0\.1/);
    assert.match(out, new RegExp(`SHA256: ${ks.entries()[0]?.sha256Fingerprint}`));

    const cert = ks.certificate('wso2carbon');
    assert.equal(cert.subject, 'CN=gw.example.com');
    assert.equal(cert.issuer, cert.subject);
    assert.equal(cert.subjectAltName, 'DNS:gw.example.com, DNS:localhost, IP Address:127.0.0.1');
    assert.equal(new Date(cert.validTo).getUTCFullYear(), 2036);
    assert.ok(cert.verify(cert.publicKey), 'self-signed');
  });

  it('Java can decrypt the key: keytool converts it to JKS and we read the same key back', async () => {
    const jks = join(dir, 'converted.jks');
    keytool([
      '-importkeystore',
      '-noprompt',
      ...['-srcstoretype', 'PKCS12', '-srckeystore', file, '-srcstorepass', 'wso2carbon'],
      ...[
        '-deststoretype',
        'JKS',
        '-destkeystore',
        jks,
        '-deststorepass',
        'jkspass1',
        '-destkeypass',
        'jkspass1',
      ],
    ]);
    const ours = await loadKeystore({ file, type: 'PKCS12', password: 'wso2carbon', alias: 'wso2carbon' });
    const viaJava = await loadKeystore({ file: jks, type: 'JKS', password: 'jkspass1' });
    const der = (k: ReturnType<typeof ours.privateKey>) => k.export({ format: 'der', type: 'pkcs8' });
    assert.deepEqual(der(viaJava.privateKey()), der(ours.privateKey()));
    assert.equal(viaJava.certificatePem('wso2carbon'), ours.certificatePem('wso2carbon'));
  });

  it('never overwrites an existing file', async () => {
    await assert.rejects(
      createPrimaryKeystore({ file, password: 'x', alias: 'x', hostname: 'x' }),
      (err: unknown) => err instanceof KeystoreError && err.code === 'KEYSTORE_EXISTS',
    );
  });

  it('an IP host name becomes an IP SAN, and localhost is not listed twice', async () => {
    const ipFile = join(dir, 'ip.p12');
    const ks = await createPrimaryKeystore({
      file: ipFile,
      password: 'pw',
      alias: 'a',
      hostname: '10.0.0.5',
    });
    assert.equal(
      ks.certificate('a').subjectAltName,
      'IP Address:10.0.0.5, DNS:localhost, IP Address:127.0.0.1',
    );
    const lh = await createPrimaryKeystore({
      file: join(dir, 'lh.p12'),
      password: 'pw',
      alias: 'a',
      hostname: 'localhost',
    });
    assert.equal(lh.certificate('a').subjectAltName, 'DNS:localhost, IP Address:127.0.0.1');
  });
});
