import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { compactVerify, importJWK } from 'jose';
import { publicJwk } from '../public-jwk.js';
import {
  b64url,
  b64urlPadded,
  decodeBase64Strict,
  decodeCompactJws,
  encodeBase64,
  JOSE_BASE64,
  signCompactJws,
  timeClaims,
  verifyCompactJws,
  withinValidity,
  type CompactJws,
} from './index.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const decoded = (token: string, profile: 'jose' | 'wso2' = 'jose'): CompactJws => {
  const jws = decodeCompactJws(token, profile);
  assert.ok(typeof jws !== 'string', `decodes (${String(jws)})`);
  return jws;
};
// A payload whose JSON length makes the padded segment end in "=".
const payload =
  '{"sub":"admin@carbon.super","context":"\\/pizzashack\\/1.0.0","jti":"a9ef01fb","iat":1571765696}';
const wso2Key = signCompactJws({
  header: { x5t: 'eA==', kid: 'gateway_certificate_alias', typ: 'JWT' },
  payload,
  privateKey: rsa.privateKey,
  alg: 'RS256',
  padded: true,
});
const joseToken = signCompactJws({
  header: { kid: 'k1' },
  payload: { sub: 'x', iat: 1 },
  privateKey: rsa.privateKey,
  alg: 'RS256',
  padded: false,
});

/** Signs arbitrary header/payload JSON text (for the refusal cases the signer would never produce). */
function rawToken(headerJson: string, payloadJson: string, padded = false): string {
  const enc = padded ? b64urlPadded : b64url;
  const input = `${enc(headerJson)}.${enc(payloadJson)}`;
  return `${input}.${enc(sign('sha256', Buffer.from(input), rsa.privateKey))}`;
}

describe('signCompactJws + decodeCompactJws + verifyCompactJws', () => {
  it('a padded WSO2 API key keeps its padding and verifies over the literal segments', () => {
    const [h, p, s] = wso2Key.split('.') as [string, string, string];
    assert.ok(p.endsWith('='), 'segments keep their padding');
    assert.ok(s.endsWith('=='), '256-byte signature pads with ==');
    const jws = decoded(wso2Key, 'wso2');
    assert.deepEqual(Object.keys(jws.header), ['x5t', 'kid', 'typ', 'alg']);
    assert.equal(decodeBase64Strict(p, { alphabet: 'url', padded: true })?.toString(), payload);
    assert.equal(jws.signingInput, `${h}.${p}`);
    assert.equal(verifyCompactJws(jws, rsa.publicKey), true);
    assert.equal(verifyCompactJws(jws, rsa.privateKey), true, 'a private key is reduced to its public half');
  });

  it('the jose profile refuses padded tokens; the wso2 profile takes both', () => {
    assert.equal(decodeCompactJws(wso2Key, 'jose'), 'encoding');
    assert.equal(verifyCompactJws(decoded(joseToken, 'wso2'), rsa.publicKey), true);
  });

  it('unpadded output is a standard JWS that jose verifies (RS384, PS256, ES256, ES512)', async () => {
    const ec256 = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const ec521 = generateKeyPairSync('ec', { namedCurve: 'P-521' });
    const cases = [
      ['RS384', rsa],
      ['PS256', rsa],
      ['ES256', ec256],
      ['ES512', ec521],
    ] as const;
    for (const [alg, pair] of cases) {
      const token = signCompactJws({
        header: {},
        payload: { sub: alg },
        privateKey: pair.privateKey,
        alg,
        padded: false,
      });
      assert.equal(verifyCompactJws(decoded(token), pair.publicKey), true, alg);
      const jwkKey = await importJWK(publicJwk(pair.publicKey, 'k', alg), alg);
      const { protectedHeader } = await compactVerify(token, jwkKey);
      assert.equal(protectedHeader.alg, alg);
    }
  });

  it('refuses to sign with a key that does not fit the algorithm or a contradicting header alg', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    assert.throws(
      () =>
        signCompactJws({ header: {}, payload: {}, privateKey: ec.privateKey, alg: 'RS256', padded: true }),
      TypeError,
    );
    assert.throws(
      () =>
        signCompactJws({
          header: { alg: 'HS256' },
          payload: {},
          privateKey: rsa.privateKey,
          alg: 'RS256',
          padded: true,
        }),
      TypeError,
    );
  });

  it('a signature does not verify with another key, a key of another type, or over forged content', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jws = decoded(wso2Key, 'wso2');
    assert.equal(verifyCompactJws(jws, other.publicKey), false);
    assert.equal(verifyCompactJws(jws, ec.publicKey), false);
    const [, p, s] = wso2Key.split('.') as [string, string, string];
    const forgedHeader = b64urlPadded(
      '{"x5t":"eA==","kid":"gateway_certificate_alias","typ":"JWT","alg":"RS512"}',
    );
    assert.equal(verifyCompactJws(decoded(`${forgedHeader}.${p}.${s}`, 'wso2'), rsa.publicKey), false);
  });
});

describe('decodeCompactJws refuses every other spelling and shape', () => {
  const [h, p, s] = wso2Key.split('.') as [string, string, string];
  const [jh, jp, js] = joseToken.split('.') as [string, string, string];
  const cases: [string, string, 'jose' | 'wso2', string][] = [
    ['appended junk', `${wso2Key}garbage`, 'wso2', 'encoding'],
    ['junk after the padding', `${wso2Key}xyz`, 'wso2', 'encoding'],
    ['! inside the signature', `${h}.${p}.${s.slice(0, 10)}!${s.slice(10)}`, 'wso2', 'encoding'],
    ['* inside the signature', `${h}.${p}.${s.slice(0, 10)}*${s.slice(10)}`, 'wso2', 'encoding'],
    ['=== appended', `${wso2Key}=`, 'wso2', 'encoding'],
    ['bearer token + !!!', `${joseToken}!!!`, 'jose', 'encoding'],
    ['bearer token + ==', `${joseToken}==`, 'jose', 'encoding'],
    ['padding stripped from the signature only', `${h}.${p}.${s.replace(/=+$/, '')}`, 'wso2', 'encoding'],
    [
      'padding added to a jose signature',
      `${jh}.${jp}.${encodeBase64(decodeBase64Strict(js, JOSE_BASE64)!, { alphabet: 'url', padded: true })}`,
      'jose',
      'encoding',
    ],
    [
      'standard alphabet signature on a url token',
      `${jh}.${jp}.${decodeBase64Strict(js, JOSE_BASE64)!.toString('base64').replace(/=+$/, '')}`,
      'jose',
      'encoding',
    ],
    ['a space inside', `${h}.${p}.${s.slice(0, 5)} ${s.slice(5)}`, 'wso2', 'encoding'],
    ['a newline at the end', `${joseToken}\n`, 'jose', 'encoding'],
    ['two segments', `${h}.${p}`, 'wso2', 'format'],
    ['four segments', `${wso2Key}.${s}`, 'wso2', 'format'],
    ['empty signature', `${h}.${p}.`, 'wso2', 'format'],
    ['empty header', `.${p}.${s}`, 'wso2', 'format'],
    ['empty payload', `${h}..${s}`, 'wso2', 'format'],
    ['a.b.c', 'a.b.c', 'wso2', 'encoding'],
    ['oversize', `${h}.${'A'.repeat(20_000)}.${s}`, 'wso2', 'format'],
    ['payload not an object (array)', rawToken('{"alg":"RS256"}', '[1,2]'), 'jose', 'json'],
    ['payload not an object (string)', rawToken('{"alg":"RS256"}', '"x"'), 'jose', 'json'],
    ['payload null', rawToken('{"alg":"RS256"}', 'null'), 'jose', 'json'],
    ['payload not JSON', rawToken('{"alg":"RS256"}', '{sub:1}'), 'jose', 'json'],
    ['payload with a BOM', rawToken('{"alg":"RS256"}', '\ufeff{"a":1}'), 'jose', 'json'],
    ['alg none', rawToken('{"alg":"none"}', '{}'), 'jose', 'header'],
    ['alg None', rawToken('{"alg":"None"}', '{}'), 'jose', 'header'],
    ['alg NONE', rawToken('{"alg":"NONE"}', '{}'), 'jose', 'header'],
    ['alg nOnE', rawToken('{"alg":"nOnE"}', '{}'), 'jose', 'header'],
    ['alg HS256', rawToken('{"alg":"HS256"}', '{}'), 'jose', 'header'],
    ['alg rs256', rawToken('{"alg":"rs256"}', '{}'), 'jose', 'header'],
    ['alg missing', rawToken('{"kid":"k"}', '{}'), 'jose', 'header'],
    ['alg not a string', rawToken('{"alg":["RS256"]}', '{}'), 'jose', 'header'],
    ['crit (unknown extension)', rawToken('{"alg":"RS256","crit":["exp"],"exp":1}', '{}'), 'jose', 'header'],
    ['crit empty', rawToken('{"alg":"RS256","crit":[]}', '{}'), 'jose', 'header'],
    ['b64 false (RFC 7797)', rawToken('{"alg":"RS256","b64":false,"crit":["b64"]}', '{}'), 'jose', 'header'],
  ];
  for (const [why, token, profile, expected] of cases) {
    it(`${why} → ${expected}`, () => {
      assert.equal(decodeCompactJws(token, profile), expected);
    });
  }

  it('an upper-cased key is refused (its bytes are other bytes, or no base64 at all)', () => {
    assert.ok(['json', 'encoding'].includes(decodeCompactJws(wso2Key.toUpperCase(), 'wso2') as string));
  });

  it('invalid UTF-8 in the payload is refused, not replaced', () => {
    const input = `${b64url('{"alg":"RS256"}')}.${b64url(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))}`;
    const token = `${input}.${b64url(sign('sha256', Buffer.from(input), rsa.privateKey))}`;
    assert.equal(decodeCompactJws(token, 'jose'), 'json');
  });

  it('mixed alphabets in one wso2 token are refused; a consistent standard-alphabet token is taken', () => {
    const std = (t: string) => Buffer.from(t).toString('base64');
    for (let i = 0; i < 200; i++) {
      const header = `{"alg":"RS256","typ":"JWT","n":"${'?'.repeat(i % 7)}${'>'.repeat(i % 5)}"}`;
      const body = `{"sub":"${'~'.repeat(i)}"}`;
      const input = `${std(header)}.${std(body)}`;
      if (!/[+/]/.test(input)) continue;
      const sig = sign('sha256', Buffer.from(input), rsa.privateKey).toString('base64');
      const jws = decoded(`${input}.${sig}`, 'wso2');
      assert.equal(verifyCompactJws(jws, rsa.publicKey), true);
      const urlSig = sig.replace(/\+/g, '-').replace(/\//g, '_');
      if (urlSig !== sig) assert.equal(decodeCompactJws(`${input}.${urlSig}`, 'wso2'), 'encoding');
      return;
    }
    assert.fail('no standard-alphabet sample found');
  });
});

describe('timeClaims and withinValidity', () => {
  it('reads finite numbers, refuses other types', () => {
    assert.deepEqual(timeClaims({ exp: 10, nbf: 5, iat: 4 }), { exp: 10, nbf: 5, iat: 4 });
    assert.deepEqual(timeClaims({}), { exp: null, nbf: null, iat: null });
    assert.equal(timeClaims({ exp: '10' }), undefined);
    assert.equal(timeClaims({ nbf: null }), undefined);
    assert.equal(timeClaims({ iat: true }), undefined);
  });
  it('honours exp and nbf with the skew on both sides', () => {
    assert.equal(withinValidity({ exp: 100, nbf: null }, 150, 60), true);
    assert.equal(withinValidity({ exp: 100, nbf: null }, 161, 60), false);
    assert.equal(withinValidity({ exp: null, nbf: 1000 }, 941, 60), true);
    assert.equal(withinValidity({ exp: null, nbf: 1000 }, 939, 60), false);
  });
});
