import assert from 'node:assert/strict';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  exportCertPem,
  genKeyPair,
  importCert,
  keytool,
  opensslSelfSigned,
  tempDir,
} from '../../test/fixtures/keystores/keytool.js';
import { KeystoreError, loadKeystore, loadTrustStore } from './index.js';
import type { KeystoreErrorCode } from './index.js';

const { dir, cleanup } = tempDir();
const jks = join(dir, 'wso2carbon.jks');
const p12 = join(dir, 'keytool.p12');

/** Asserts that `p` rejects with a KeystoreError of `code` whose message names the file and hides the password. */
async function rejectsWith(p: Promise<unknown>, code: KeystoreErrorCode, file: string, secret?: string) {
  await assert.rejects(p, (err: unknown) => {
    assert.ok(err instanceof KeystoreError, `expected KeystoreError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    assert.ok(err.message.includes(file), err.message);
    assert.ok(!err.message.includes('\n'), 'one line');
    if (secret !== undefined) assert.ok(!err.message.includes(secret), 'password leaked');
    return true;
  });
}

before(() => {
  // A real JKS like WSO2's wso2carbon.jks: -storetype JKS and a key password different from the store's.
  genKeyPair({ file: jks, storetype: 'JKS', alias: 'wso2carbon', storepass: 'storepw1', keypass: 'keypw22' });
  genKeyPair({ file: p12, storetype: 'PKCS12', alias: 'mykey', storepass: 'p12pass' });
});
after(cleanup);

describe('loadKeystore JKS', () => {
  it('reads the key entry, its certificate and the key that matches it', async () => {
    const ks = await loadKeystore({ file: jks, type: 'JKS', password: 'storepw1', keyPassword: 'keypw22' });
    const [entry, ...rest] = ks.entries();
    assert.equal(rest.length, 0);
    assert.equal(entry?.alias, 'wso2carbon');
    assert.equal(entry?.kind, 'key');
    assert.equal(entry?.subjectCN, 'test');
    const pem = exportCertPem(jks, 'JKS', 'storepw1', 'wso2carbon');
    const fromKeytool = new X509Certificate(pem);
    assert.equal(entry?.sha256Fingerprint, fromKeytool.fingerprint256);
    assert.equal(entry?.sha1Fingerprint, fromKeytool.fingerprint);
    assert.equal(entry?.notAfter.getTime(), new Date(fromKeytool.validTo).getTime());
    assert.equal(ks.certificatePem('WSO2CARBON'), fromKeytool.toString(), 'alias lookup is case-insensitive');
    const key = ks.privateKey();
    assert.equal(key.asymmetricKeyType, 'rsa');
    assert.ok(ks.certificate('wso2carbon').checkPrivateKey(key));
  });

  it('wrong store password is KEYSTORE_BAD_PASSWORD without the password in the message', async () => {
    await rejectsWith(
      loadKeystore({ file: jks, type: 'JKS', password: 'nope-nope' }),
      'KEYSTORE_BAD_PASSWORD',
      jks,
      'nope-nope',
    );
  });

  it('wrong key password is KEYSTORE_BAD_PASSWORD naming the alias', async () => {
    // Without keyPassword the store password is tried on the key, and it differs here.
    await assert.rejects(
      loadKeystore({ file: jks, type: 'JKS', password: 'storepw1', alias: 'wso2carbon' }),
      (err: unknown) =>
        err instanceof KeystoreError && err.code === 'KEYSTORE_BAD_PASSWORD' && err.alias === 'wso2carbon',
    );
    const ks = await loadKeystore({ file: jks, type: 'JKS', password: 'storepw1' });
    assert.throws(() => ks.privateKey(), /wso2carbon.*key password/);
  });

  it('a missing alias is KEYSTORE_ALIAS_NOT_FOUND, at load and on lookup', async () => {
    const spec = { file: jks, type: 'JKS', password: 'storepw1', keyPassword: 'keypw22' } as const;
    await rejectsWith(loadKeystore({ ...spec, alias: 'gateway' }), 'KEYSTORE_ALIAS_NOT_FOUND', jks);
    const ks = await loadKeystore(spec);
    assert.throws(
      () => ks.certificate('other'),
      (err: unknown) =>
        err instanceof KeystoreError &&
        err.code === 'KEYSTORE_ALIAS_NOT_FOUND' &&
        /"other"/.test(err.message),
    );
  });

  it('a JKS declared as PKCS12 is KEYSTORE_TYPE_MISMATCH', async () => {
    await rejectsWith(
      loadKeystore({ file: jks, type: 'PKCS12', password: 'storepw1' }),
      'KEYSTORE_TYPE_MISMATCH',
      jks,
    );
  });
});

describe('loadKeystore PKCS12', () => {
  it('reads a keytool PKCS12 (Java 17: AES-256, HmacSHA256)', async () => {
    const ks = await loadKeystore({ file: p12, type: 'PKCS12', password: 'p12pass', alias: 'mykey' });
    assert.deepEqual(
      ks.entries().map((e) => [e.alias, e.kind, e.subjectCN]),
      [['mykey', 'key', 'test']],
    );
    assert.ok(ks.certificate('mykey').checkPrivateKey(ks.privateKey()));
  });

  it('wrong password is KEYSTORE_BAD_PASSWORD', async () => {
    await rejectsWith(
      loadKeystore({ file: p12, type: 'PKCS12', password: 'bad' }),
      'KEYSTORE_BAD_PASSWORD',
      p12,
      'bad',
    );
  });

  it('a .jks file that keytool wrote as PKCS12 is reported as a type mismatch', async () => {
    const fake = join(dir, 'fake.jks');
    copyFileSync(p12, fake);
    await assert.rejects(loadKeystore({ file: fake, type: 'JKS', password: 'p12pass' }), (err: unknown) => {
      assert.ok(err instanceof KeystoreError);
      assert.equal(err.code, 'KEYSTORE_TYPE_MISMATCH');
      assert.match(err.message, /declared type is JKS but the file is PKCS12/);
      return true;
    });
  });

  it('reads an EC key entry', async () => {
    const ec = join(dir, 'ec.p12');
    genKeyPair({ file: ec, storetype: 'PKCS12', alias: 'ec', storepass: 'ecpass1', keyalg: 'EC' });
    const ks = await loadKeystore({ file: ec, type: 'PKCS12', password: 'ecpass1' });
    assert.equal(ks.privateKey().asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.ok(ks.certificate('ec').checkPrivateKey(ks.privateKey()));
  });
});

describe('loadKeystore PEM', () => {
  it('reads an openssl key + certificate chain; the leaf is the cert that matches the key', async () => {
    const leaf = opensslSelfSigned(dir, 'leaf.example');
    const ca = opensslSelfSigned(dir, 'ca.example');
    const file = join(dir, 'server.pem');
    writeFileSync(file, ca.certPem + leaf.keyPem + leaf.certPem);
    const ks = await loadKeystore({ file, type: 'PEM', password: '' });
    const [entry] = ks.entries();
    assert.equal(entry?.alias, 'server');
    assert.equal(entry?.subjectCN, 'leaf.example');
    assert.equal(entry?.chainPem.length, 2);
    assert.ok(ks.certificate('server').checkPrivateKey(ks.privateKey()));
  });

  it('an encrypted PKCS#8 key with the wrong passphrase is KEYSTORE_BAD_PASSWORD', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const self = opensslSelfSigned(dir, 'enc.example');
    const file = join(dir, 'enc.pem');
    const encrypted = privateKey.export({
      format: 'pem',
      type: 'pkcs8',
      cipher: 'aes-256-cbc',
      passphrase: 'right',
    });
    // The certificate does not match this key, but the password check comes first.
    writeFileSync(file, `${encrypted as string}${self.certPem}`);
    await rejectsWith(
      loadKeystore({ file, type: 'PEM', password: 'wrong' }),
      'KEYSTORE_BAD_PASSWORD',
      file,
      'wrong',
    );
    await rejectsWith(loadKeystore({ file, type: 'PEM', password: 'right' }), 'KEYSTORE_UNREADABLE', file);
  });

  it('a certificate-only bundle is a trust store; aliases from "# alias:" lines, else the CN', async () => {
    const a = opensslSelfSigned(dir, 'a.example');
    const b = opensslSelfSigned(dir, 'b.example');
    const file = join(dir, 'bundle.pem');
    writeFileSync(file, `# alias: first\n${a.certPem}${b.certPem}`);
    const ks = await loadKeystore({ file, type: 'PEM', password: '' });
    assert.deepEqual(
      ks.entries().map((e) => [e.alias, e.kind, e.subjectCN]),
      [
        ['first', 'cert', 'a.example'],
        ['b.example', 'cert', 'b.example'],
      ],
    );
    assert.throws(
      () => ks.privateKey(),
      (err: unknown) => err instanceof KeystoreError && err.code === 'KEYSTORE_ALIAS_NOT_FOUND',
    );
  });
});

describe('trust stores made by keytool -importcert', () => {
  for (const storetype of ['JKS', 'PKCS12'] as const) {
    it(`reads a ${storetype} trust store`, async () => {
      const certFile = join(dir, 'gw.crt');
      writeFileSync(certFile, exportCertPem(p12, 'PKCS12', 'p12pass', 'mykey'));
      const file = join(dir, `client-truststore-${storetype}`);
      importCert({ file, storetype, storepass: 'wso2carbon', alias: 'gateway_certificate_alias', certFile });
      const ks = await loadKeystore({ file, type: storetype, password: 'wso2carbon' });
      assert.deepEqual(
        ks.entries().map((e) => [e.alias, e.kind]),
        [['gateway_certificate_alias', 'cert']],
      );
      const ts = await loadTrustStore({ file, type: storetype, password: 'wso2carbon' });
      assert.equal(
        ts.get('gateway_certificate_alias'),
        new X509Certificate(readFileSync(certFile)).toString(),
      );
    });
  }
});

describe('files that are not keystores', () => {
  it('a missing file is KEYSTORE_NOT_FOUND', async () => {
    const file = join(dir, 'absent.p12');
    await rejectsWith(loadKeystore({ file, type: 'PKCS12', password: 'x' }), 'KEYSTORE_NOT_FOUND', file);
  });

  it('random bytes are KEYSTORE_UNREADABLE', async () => {
    const file = join(dir, 'junk.bin');
    writeFileSync(file, Buffer.from('just some text'));
    await rejectsWith(loadKeystore({ file, type: 'PEM', password: 'x' }), 'KEYSTORE_UNREADABLE', file);
  });

  it('a JCEKS store is reported as unsupported', async () => {
    const file = join(dir, 'store.jceks');
    keytool([
      '-genseckey',
      '-storetype',
      'JCEKS',
      '-keystore',
      file,
      '-storepass',
      'jcekspw',
      '-alias',
      's',
      '-keyalg',
      'AES',
      '-keysize',
      '128',
    ]);
    await assert.rejects(loadKeystore({ file, type: 'JKS', password: 'jcekspw' }), /JCEKS/);
  });
});
