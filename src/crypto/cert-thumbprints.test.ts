import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compactVerify, importJWK } from 'jose';
import { genKeyPair, tempDir } from '../../test/fixtures/keystores/keytool.js';
import {
  decodeBase64Strict,
  kidForCert,
  loadKeystore,
  publicJwk,
  signCompactJws,
  WSO2_BASE64,
  x5tOfCert,
  type Keystore,
} from './index.js';

const { dir, cleanup } = tempDir();
let ks: Keystore;
let cert: X509Certificate;

before(async () => {
  const file = join(dir, 'wso2carbon.jks');
  genKeyPair({ file, storetype: 'JKS', alias: 'wso2carbon', storepass: 'wso2carbon', keypass: 'wso2carbon' });
  ks = await loadKeystore({ file, type: 'JKS', password: 'wso2carbon', alias: 'wso2carbon' });
  cert = ks.certificate('wso2carbon');
});
after(cleanup);

describe('WSO2 thumbprints', () => {
  it('the SEED-2 x5t vector is the padded base64url of the hex SHA-1', () => {
    const x5t = 'ZjRmYTMwNTJjOWU5MmIzMjgzNDI3Y2IyMmIyY2EzMjdhZjViMjc0Zg==';
    assert.equal(
      decodeBase64Strict(x5t, WSO2_BASE64)?.toString(),
      'f4fa3052c9e92b3283427cb22b2ca327af5b274f',
    );
  });

  it('x5tOfCert encodes the lower-case hex of the DER digest (56 chars for SHA-1)', () => {
    const x5t = x5tOfCert(cert, 'sha1');
    assert.equal(x5t.length, 56);
    assert.ok(x5t.endsWith('=='));
    const hex = cert.fingerprint.replace(/:/g, '').toLowerCase();
    assert.equal(decodeBase64Strict(x5t, WSO2_BASE64)?.toString(), hex);
    const hex256 = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    assert.equal(decodeBase64Strict(x5tOfCert(cert, 'sha256'), WSO2_BASE64)?.toString(), hex256);
  });

  it('kidForCert is unpadded base64url of the hex SHA-256 plus _RS256', () => {
    const hex = createHash('sha256').update(cert.raw).digest('hex');
    const kid = kidForCert(cert);
    assert.equal(kid, `${Buffer.from(hex).toString('base64url')}_RS256`);
    assert.ok(!kid.includes('='));
  });
});

describe('publicJwk', () => {
  it('publishes the certificate key with kid, use, alg and x5c, and nothing private', async () => {
    const kid = kidForCert(cert);
    const jwk = publicJwk(cert, kid);
    assert.equal(jwk.kty, 'RSA');
    assert.equal(jwk.kid, kid);
    assert.equal(jwk.use, 'sig');
    assert.equal(jwk.alg, 'RS256');
    assert.deepEqual(jwk.x5c, [cert.raw.toString('base64')]);
    assert.equal('d' in jwk || 'p' in jwk, false);
    assert.deepEqual(publicJwk(ks.privateKey(), kid).n, jwk.n);
    const token = signCompactJws({
      header: { kid },
      payload: { s: 1 },
      privateKey: ks.privateKey(),
      alg: 'RS256',
      padded: false,
    });
    await compactVerify(token, await importJWK(jwk, 'RS256'));
  });
});
