import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  exportCertPem,
  genKeyPair,
  importCert,
  keytoolList,
  opensslSelfSigned,
  tempDir,
} from '../../test/fixtures/keystores/keytool.js';
import { createTrustStore, KeystoreError, loadTrustStore } from './index.js';

const { dir, cleanup } = tempDir();
let gatewayPem = '';
let partnerPem = '';

before(() => {
  const ks = join(dir, 'gw.p12');
  genKeyPair({ file: ks, storetype: 'PKCS12', alias: 'gw', storepass: 'gwpass1' });
  gatewayPem = exportCertPem(ks, 'PKCS12', 'gwpass1', 'gw');
  partnerPem = opensslSelfSigned(dir, 'partner.example').certPem;
});
after(cleanup);

const isCode = (code: string) => (err: unknown) => err instanceof KeystoreError && err.code === code;

describe('PKCS12 trust store written by Portico', () => {
  it('createTrustStore writes a file keytool lists as trustedCertEntry, mode 0600', async () => {
    const file = join(dir, 'client-truststore.p12');
    await createTrustStore({
      file,
      password: 'wso2carbon',
      certs: { gateway_certificate_alias: gatewayPem },
    });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const listed = keytoolList(file, 'PKCS12', 'wso2carbon');
    assert.deepEqual([...listed.keys()], ['gateway_certificate_alias']);
    assert.equal(listed.get('gateway_certificate_alias')?.type, 'trustedCertEntry');
    assert.equal(
      listed.get('gateway_certificate_alias')?.sha256,
      new X509Certificate(gatewayPem).fingerprint256,
    );
    await assert.rejects(createTrustStore({ file, password: 'x', certs: {} }), isCode('KEYSTORE_EXISTS'));
  });

  it('add (PEM and DER), list, save, reload, keytool -list sees the import', async () => {
    const file = join(dir, 'ts-add.p12');
    await createTrustStore({ file, password: 'tspass1', certs: { gateway_certificate_alias: gatewayPem } });
    const ts = await loadTrustStore({ file, type: 'PKCS12', password: 'tspass1' });
    const der = new X509Certificate(partnerPem).raw;
    const added = ts.add('partner', der);
    assert.equal(added.subjectCN, 'partner.example');
    assert.deepEqual(
      ts.list().map((e) => e.alias),
      ['gateway_certificate_alias', 'partner'],
    );
    await ts.save();

    const listed = keytoolList(file, 'PKCS12', 'tspass1');
    assert.deepEqual([...listed.keys()].sort(), ['gateway_certificate_alias', 'partner']);
    assert.equal(listed.get('partner')?.sha256, new X509Certificate(partnerPem).fingerprint256);

    const again = await loadTrustStore({ file, type: 'PKCS12', password: 'tspass1' });
    assert.equal(again.get('partner'), new X509Certificate(partnerPem).toString());
    await assert.rejects(
      loadTrustStore({ file, type: 'PKCS12', password: 'wrong1' }),
      isCode('KEYSTORE_BAD_PASSWORD'),
    );
  });

  it('refuses a duplicate alias (case-insensitive) unless replace, and remove needs an existing alias', async () => {
    const file = join(dir, 'ts-dup.p12');
    const ts = await createTrustStore({ file, password: 'duppass', certs: { partner: partnerPem } });
    assert.throws(() => ts.add('Partner', gatewayPem), isCode('KEYSTORE_ALIAS_EXISTS'));
    assert.equal(ts.get('partner'), new X509Certificate(partnerPem).toString(), 'unchanged after refusal');
    ts.add('partner', gatewayPem, { replace: true });
    assert.equal(ts.get('partner'), new X509Certificate(gatewayPem).toString());
    ts.remove('PARTNER');
    assert.equal(ts.get('partner'), undefined);
    assert.throws(() => ts.remove('partner'), isCode('KEYSTORE_ALIAS_NOT_FOUND'));
    await ts.save();
    assert.equal(keytoolList(file, 'PKCS12', 'duppass').size, 0);
  });

  it('rejects input that is not exactly one certificate', async () => {
    const ts = await createTrustStore({ file: join(dir, 'ts-bad.p12'), password: 'badpass', certs: {} });
    assert.throws(() => ts.add('x', 'not a cert'), isCode('KEYSTORE_BAD_CERTIFICATE'));
    assert.throws(
      () => ts.add('x', Buffer.from([0x30, 0x03, 0x02, 0x01, 0x01])),
      isCode('KEYSTORE_BAD_CERTIFICATE'),
    );
    assert.throws(() => ts.add('x', gatewayPem + partnerPem), isCode('KEYSTORE_BAD_CERTIFICATE'));
    assert.throws(() => ts.add('a\nb', gatewayPem), isCode('KEYSTORE_BAD_CERTIFICATE'));
    assert.equal(ts.list().length, 0);
  });
});

describe('PEM trust store', () => {
  it('saves a bundle with "# alias:" lines that reloads with the same aliases', async () => {
    const file = join(dir, 'trust.pem');
    writeFileSync(file, gatewayPem);
    const ts = await loadTrustStore({ file, type: 'PEM', password: '' });
    assert.deepEqual(
      ts.list().map((e) => e.alias),
      ['test'],
    );
    ts.add('partner_cert', partnerPem);
    await ts.save();
    const text = readFileSync(file, 'utf8');
    assert.match(text, /^# alias: test\n-----BEGIN CERTIFICATE-----/);
    assert.match(text, /\n# alias: partner_cert\n-----BEGIN CERTIFICATE-----/);
    const again = await loadTrustStore({ file, type: 'PEM', password: '' });
    assert.deepEqual(
      again.list().map((e) => [e.alias, e.subjectCN]),
      [
        ['test', 'test'],
        ['partner_cert', 'partner.example'],
      ],
    );
  });
});

describe('read-only trust stores', () => {
  it('a JKS trust store reads but refuses to save with KEYSTORE_READ_ONLY', async () => {
    const file = join(dir, 'client-truststore.jks');
    const certFile = join(dir, 'partner.crt');
    writeFileSync(certFile, partnerPem);
    importCert({ file, storetype: 'JKS', storepass: 'wso2carbon', alias: 'partner', certFile });
    const ts = await loadTrustStore({ file, type: 'JKS', password: 'wso2carbon' });
    ts.add('gw', gatewayPem);
    const before = readFileSync(file);
    await assert.rejects(ts.save(), isCode('KEYSTORE_READ_ONLY'));
    assert.deepEqual(readFileSync(file), before, 'file untouched');
  });

  it('a PKCS12 file holding private keys refuses to save (keys would be lost)', async () => {
    const file = join(dir, 'keys.p12');
    genKeyPair({ file, storetype: 'PKCS12', alias: 'k', storepass: 'keyspw1' });
    const ts = await loadTrustStore({ file, type: 'PKCS12', password: 'keyspw1' });
    assert.equal(ts.list().length, 0);
    await assert.rejects(ts.save(), isCode('KEYSTORE_READ_ONLY'));
  });
});
