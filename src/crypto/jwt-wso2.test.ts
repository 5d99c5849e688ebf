import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compactVerify, importJWK } from 'jose';
import { genKeyPair, tempDir } from '../../test/fixtures/keystores/keytool.js';
import {
  b64urlDecodeLenient,
  b64urlPadded,
  decodeJwsSegment,
  kidForCert,
  loadKeystore,
  publicJwk,
  signWso2Jwt,
  splitJws,
  verifyJwsSignature,
  x5tOfCert,
} from './index.js';
import type { Keystore } from './index.js';

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

describe('base64url, Java style', () => {
  it('b64urlPadded keeps = padding and uses the URL-safe alphabet', () => {
    assert.equal(b64urlPadded(Buffer.from([0xfb, 0xff])), '-_8=');
    assert.equal(b64urlPadded('a'), 'YQ==');
    assert.equal(b64urlPadded(Buffer.from([0xfb, 0xef, 0xff])), '--__');
  });

  it('b64urlDecodeLenient accepts padded and unpadded, refuses the rest', () => {
    assert.deepEqual(b64urlDecodeLenient('YQ=='), Buffer.from('a'));
    assert.deepEqual(b64urlDecodeLenient('YQ'), Buffer.from('a'));
    assert.deepEqual(b64urlDecodeLenient('-_8='), Buffer.from([0xfb, 0xff]));
    assert.deepEqual(b64urlDecodeLenient('-_8'), Buffer.from([0xfb, 0xff]));
    assert.equal(b64urlDecodeLenient('YQ='), undefined, 'wrong padding');
    assert.equal(b64urlDecodeLenient('Y'), undefined, 'impossible length');
    assert.equal(b64urlDecodeLenient('+/8='), undefined, 'standard alphabet');
    assert.equal(b64urlDecodeLenient('YQ==YQ=='), undefined, 'padding in the middle');
  });
});

describe('WSO2 thumbprints', () => {
  it('the SEED-2 x5t vector is the padded base64url of the hex SHA-1', () => {
    const x5t = 'ZjRmYTMwNTJjOWU5MmIzMjgzNDI3Y2IyMmIyY2EzMjdhZjViMjc0Zg==';
    assert.equal(b64urlDecodeLenient(x5t)?.toString(), 'f4fa3052c9e92b3283427cb22b2ca327af5b274f');
    assert.equal(b64urlPadded('f4fa3052c9e92b3283427cb22b2ca327af5b274f'), x5t);
  });

  it('x5tOfCert encodes the lower-case hex of the DER digest (56 chars for SHA-1)', () => {
    const x5t = x5tOfCert(cert, 'sha1');
    assert.equal(x5t.length, 56);
    assert.ok(x5t.endsWith('=='));
    const hex = cert.fingerprint.replace(/:/g, '').toLowerCase();
    assert.equal(b64urlDecodeLenient(x5t)?.toString(), hex);
    const hex256 = cert.fingerprint256.replace(/:/g, '').toLowerCase();
    assert.equal(b64urlDecodeLenient(x5tOfCert(cert, 'sha256'))?.toString(), hex256);
  });

  it('kidForCert is unpadded base64url of the hex SHA-256 plus _RS256', () => {
    const hex = createHash('sha256').update(cert.raw).digest('hex');
    const kid = kidForCert(cert);
    assert.equal(kid, `${Buffer.from(hex).toString('base64url')}_RS256`);
    assert.ok(!kid.includes('='));
  });
});

describe('signWso2Jwt / verifyJwsSignature', () => {
  // A payload whose JSON length makes the padded segment end in "=".
  const payload =
    '{"sub":"admin@carbon.super","context":"\\/pizzashack\\/1.0.0","jti":"a9ef01fb","iat":1571765696}';

  it('a padded WSO2 API key signed with the JKS key verifies with the JKS certificate', () => {
    const token = signWso2Jwt({
      header: { x5t: x5tOfCert(cert), kid: 'gateway_certificate_alias', typ: 'JWT' },
      payload,
      privateKey: ks.privateKey(),
      alg: 'RS256',
      padded: true,
    });
    const parts = splitJws(token);
    assert.ok(parts);
    assert.ok(parts.payload.endsWith('='), 'segments keep their padding');
    assert.ok(parts.signature.endsWith('=='), '256-byte signature pads with ==');
    assert.deepEqual(Object.keys(decodeJwsSegment(parts.header) ?? {}), ['x5t', 'kid', 'typ', 'alg']);
    assert.equal(b64urlDecodeLenient(parts.payload)?.toString(), payload, 'payload JSON kept byte for byte');
    assert.equal(verifyJwsSignature(token, cert, 'RS256'), true);
    assert.equal(verifyJwsSignature(parts, cert.publicKey, 'RS256'), true);
  });

  it('verifies over the literal segments: re-encoding without padding breaks the signature', () => {
    const token = signWso2Jwt({
      header: { typ: 'JWT' },
      payload,
      privateKey: ks.privateKey(),
      alg: 'RS256',
      padded: true,
    });
    const parts = splitJws(token);
    assert.ok(parts);
    const unpadded = { ...parts, payload: parts.payload.replace(/=+$/, '') };
    assert.equal(verifyJwsSignature(unpadded, cert, 'RS256'), false);
  });

  it('rejects tampering, another key, a mismatched algorithm, none and HS256', () => {
    const token = signWso2Jwt({
      header: { typ: 'JWT' },
      payload,
      privateKey: ks.privateKey(),
      alg: 'RS256',
      padded: true,
    });
    const parts = splitJws(token);
    assert.ok(parts);
    const forged = b64urlPadded(payload.replace('admin', 'evil'));
    assert.equal(verifyJwsSignature({ ...parts, payload: forged }, cert, 'RS256'), false);
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.equal(verifyJwsSignature(token, other.publicKey, 'RS256'), false);
    assert.equal(verifyJwsSignature(token, cert, 'RS512'), false);
    assert.equal(verifyJwsSignature(token, cert, 'none' as 'RS256'), false);
    assert.equal(verifyJwsSignature(token, cert, 'HS256' as 'RS256'), false);
    assert.equal(verifyJwsSignature({ ...parts, signature: '' }, cert, 'RS256'), false);
    assert.equal(verifyJwsSignature('a.b', cert, 'RS256'), false);
  });

  it('unpadded output is a standard JWS that jose verifies (RS384)', async () => {
    const token = signWso2Jwt({
      header: { typ: 'JWT' },
      payload: { sub: 'x' },
      privateKey: ks.privateKey(),
      alg: 'RS384',
      padded: false,
    });
    assert.ok(!token.includes('='));
    const { payload: body, protectedHeader } = await compactVerify(token, cert.publicKey);
    assert.equal(protectedHeader.alg, 'RS384');
    assert.deepEqual(JSON.parse(Buffer.from(body).toString()), { sub: 'x' });
  });

  it('ES256 signs r||s signatures that jose verifies through publicJwk', async () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = signWso2Jwt({
      header: { kid: 'ec1' },
      payload: { a: 1 },
      privateKey: ec.privateKey,
      alg: 'ES256',
      padded: false,
    });
    assert.equal(verifyJwsSignature(token, ec.publicKey, 'ES256'), true);
    assert.equal(b64urlDecodeLenient(splitJws(token)?.signature ?? '')?.length, 64);
    const jwk = publicJwk(ec.privateKey, 'ec1');
    assert.equal(jwk.alg, 'ES256');
    assert.equal('d' in jwk, false, 'no private part');
    await compactVerify(token, await importJWK(jwk, 'ES256'));
  });

  it('refuses to sign with a key that does not fit the algorithm or a contradicting header alg', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(
      () => signWso2Jwt({ header: {}, payload: {}, privateKey: ec.privateKey, alg: 'RS256', padded: true }),
      TypeError,
    );
    assert.throws(
      () =>
        signWso2Jwt({
          header: { alg: 'HS256' },
          payload: {},
          privateKey: ks.privateKey(),
          alg: 'RS256',
          padded: true,
        }),
      TypeError,
    );
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
    const token = signWso2Jwt({
      header: { kid },
      payload: { s: 1 },
      privateKey: ks.privateKey(),
      alg: 'RS256',
      padded: false,
    });
    await compactVerify(token, await importJWK(jwk, 'RS256'));
  });
});
