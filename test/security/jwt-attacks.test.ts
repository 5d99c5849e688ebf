import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { b64url, b64urlPadded, signCompactJws, type JwsAlgorithm } from '../../src/crypto/index.js';
import { http as httpCall } from '../support/http.js';
import { selfSignedKey } from '../support/self-signed.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';

/**
 * The JWT attack classes, each against a real gateway process, for API keys (WSO2 padded JWTs) and OAuth2 access
 * tokens: alg none in any case, HS/RS confusion with the public key in every encoding, kid traversal / empty /
 * unknown, embedded jwk / jku / x5u / x5c, crit, expired, nbf, born expired, foreign signer. Tokens the real
 * issuer could sign are signed with the server's real key (read from its home), so each case fails for exactly
 * the reason it names. The boundary cases (inside the skew) are accepted, so the suite cannot pass by refusing all.
 */
describe('JWT attack classes against a real gateway', () => {
  let t: AttackTarget;
  let jwksHits = 0;
  let jwksUrl = '';
  const jwks = http.createServer((_req, res) => {
    jwksHits++;
    res.end('{"keys":[]}');
  });
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = () => Math.floor(Date.now() / 1000);
  let counted = 0;

  before(async () => {
    jwks.listen(0, '127.0.0.1');
    await once(jwks, 'listening');
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/jwks`;
    t = await startAttackTarget();
  });
  after(async () => {
    console.log(
      `# attack suite: JWT attack classes: ${counted} forged credentials refused, jku/x5u fetched ${jwksHits} times`,
    );
    jwks.close();
    await t.stop();
  });

  const segments = (token: string) => {
    const [h, p] = token.split('.') as [string, string];
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
    };
  };
  /** Secrets an attacker derives from the server's public key for an HS* forgery. */
  const publicKeyEncodings = (): [string, Buffer][] => {
    const cert = t.keys.primary.certificate;
    const spki = cert.publicKey;
    const jwk = spki.export({ format: 'jwk' });
    return [
      ['certificate PEM', Buffer.from(t.keys.primary.certificatePem)],
      ['certificate DER', cert.raw],
      ['SPKI PEM', Buffer.from(spki.export({ type: 'spki', format: 'pem' }) as string)],
      ['SPKI DER', spki.export({ type: 'spki', format: 'der' })],
      ['PKCS#1 PEM', Buffer.from(spki.export({ type: 'pkcs1', format: 'pem' }) as string)],
      ['JWK JSON', Buffer.from(JSON.stringify(jwk))],
      ['modulus bytes', Buffer.from(jwk.n!, 'base64url')],
      ['modulus text', Buffer.from(jwk.n!)],
      ['x5c text', Buffer.from(cert.raw.toString('base64'))],
    ];
  };
  const hs = (header: object, payload: object, secret: Buffer, alg: string, padded: boolean) => {
    const enc = padded ? b64urlPadded : b64url;
    const input = `${enc(JSON.stringify({ ...header, alg }))}.${enc(JSON.stringify(payload))}`;
    return `${input}.${enc(
      createHmac(`sha${alg.slice(2)}`, secret)
        .update(input)
        .digest(),
    )}`;
  };
  const unsigned = (header: object, payload: object, padded: boolean, sig = '') => {
    const enc = padded ? b64urlPadded : b64url;
    return `${enc(JSON.stringify(header))}.${enc(JSON.stringify(payload))}.${sig}`;
  };
  const withoutAlg = (header: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(header).filter(([k]) => k !== 'alg'));
  const signed = (
    header: Record<string, unknown>,
    payload: object,
    key: KeyObject,
    padded: boolean,
    alg: JwsAlgorithm = 'RS256',
  ) =>
    signCompactJws({
      header: withoutAlg(header),
      payload: payload as Record<string, unknown>,
      privateKey: key,
      alg,
      padded,
    });

  /** The cases common to both credential kinds; `valid` is a real credential, `padded` its encoding. */
  function attacks(valid: string, padded: boolean): [string, string][] {
    const { header, payload } = segments(valid);
    const real = t.keys.primary.privateKey;
    const headerNoAlg = withoutAlg(header);
    const fresh = { ...payload, jti: randomUUID(), iat: now() };
    const impostor = selfSignedKey(String(header.kid ?? 'gateway_certificate_alias'));
    const out: [string, string][] = [];
    for (const alg of ['none', 'None', 'NONE', 'nOnE', '']) {
      out.push([`alg ${JSON.stringify(alg)}, no signature`, unsigned({ ...header, alg }, fresh, padded)]);
      out.push([
        `alg ${JSON.stringify(alg)}, the real signature`,
        unsigned({ ...header, alg }, payload, padded, valid.split('.')[2]),
      ]);
    }
    out.push(['alg missing', unsigned(headerNoAlg, payload, padded, valid.split('.')[2])]);
    for (const [encoding, secret] of publicKeyEncodings()) {
      for (const alg of ['HS256', 'HS384', 'HS512']) {
        out.push([
          `${alg} keyed with the public key (${encoding})`,
          hs(headerNoAlg, fresh, secret, alg, padded),
        ]);
      }
    }
    for (const kid of [
      '../../../etc/passwd',
      '',
      '..',
      '/dev/null',
      'gateway_certificate_alias\u0000',
      'x'.repeat(5000),
    ]) {
      out.push([
        `kid ${JSON.stringify(kid.slice(0, 30))} (attacker key)`,
        signed({ ...header, kid }, fresh, attacker.privateKey, padded),
      ]);
    }
    out.push([
      'kid unknown (real key)',
      signed({ ...header, kid: 'not-a-trusted-alias' }, fresh, real, padded),
    ]);
    out.push(['kid a number (real key)', signed({ ...header, kid: 7 }, fresh, real, padded)]);
    const attackerJwk = attacker.publicKey.export({ format: 'jwk' });
    out.push([
      'embedded jwk (attacker key)',
      signed({ ...header, jwk: attackerJwk }, fresh, attacker.privateKey, padded),
    ]);
    out.push([
      'jku to an attacker JWKS',
      signed({ ...header, jku: jwksUrl }, fresh, attacker.privateKey, padded),
    ]);
    out.push([
      'x5u to an attacker URL',
      signed({ ...header, x5u: jwksUrl }, fresh, attacker.privateKey, padded),
    ]);
    out.push([
      'x5c with an attacker certificate',
      signed(
        { ...header, x5c: [impostor.certificate.raw.toString('base64')] },
        fresh,
        impostor.privateKey,
        padded,
      ),
    ]);
    out.push(['foreign signer, same kid', signed(header, fresh, attacker.privateKey, padded)]);
    out.push([
      'crit with an unknown extension (real key)',
      signed({ ...header, crit: ['urn:x'], 'urn:x': 1 }, fresh, real, padded),
    ]);
    out.push([
      'crit naming a registered header (real key)',
      signed({ ...header, crit: ['kid'] }, fresh, real, padded),
    ]);
    out.push(['b64 false (real key)', signed({ ...header, b64: false, crit: ['b64'] }, fresh, real, padded)]);
    out.push([
      'expired beyond the skew (real key)',
      signed(header, { ...fresh, iat: now() - 4000, exp: now() - 330 }, real, padded),
    ]);
    out.push([
      'nbf beyond the skew (real key)',
      signed(header, { ...fresh, nbf: now() + 330 }, real, padded),
    ]);
    out.push([
      'born expired: exp before iat, inside the skew (real key)',
      signed(header, { ...fresh, exp: now() - 5 }, real, padded),
    ]);
    out.push([
      'exp a string (real key)',
      signed(header, { ...fresh, exp: String(now() + 600) }, real, padded),
    ]);
    out.push(['nbf a string (real key)', signed(header, { ...fresh, nbf: String(now()) }, real, padded)]);
    out.push([
      'payload an array (real key)',
      signCompactJws({ header: headerNoAlg, payload: '[1]', privateKey: real, alg: 'RS256', padded }),
    ]);
    // API keys are RS256/384/512 only; access tokens must use the alg their JWK states (RS256).
    out.push(['PS256 by the real key', signed(header, fresh, real, padded, 'PS256')]);
    return out;
  }

  async function expectAllRefused(
    label: string,
    cases: [string, string][],
    send: (c: string) => Promise<number>,
  ) {
    const wrong: string[] = [];
    for (const [name, credential] of cases) {
      const status = await send(credential);
      if (status !== 401) wrong.push(`${name}: ${status}`);
      counted++;
    }
    assert.deepEqual(wrong, [], `${label}: every forged credential is 401 900901`);
  }

  it('forged API keys are all refused with 401, and the jku/x5u URLs are never fetched', async () => {
    const cases = attacks(t.apiKey, true);
    cases.push([
      'typ not JWT (real key)',
      signed(
        { ...segments(t.apiKey).header, typ: 'at+jwt' },
        segments(t.apiKey).payload,
        t.keys.primary.privateKey,
        true,
      ),
    ]);
    cases.push([
      'token_type not apiKey (real key)',
      signed(
        segments(t.apiKey).header,
        { ...segments(t.apiKey).payload, jti: randomUUID(), token_type: 'InternalKey' },
        t.keys.primary.privateKey,
        true,
      ),
    ]);
    await expectAllRefused('API keys', cases, async (k) => (await t.call(MENU, { apikey: k })).status);
    assert.equal(jwksHits, 0);
  });

  it('forged access tokens are all refused with 401 at the gateway and by the REST APIs', async () => {
    const cases = attacks(t.accessToken, false);
    await expectAllRefused(
      'gateway',
      cases,
      async (tok) => (await t.call(MENU, { authorization: `Bearer ${tok}` })).status,
    );
    const rest = cases.filter(([, c]) => c.length < 8000);
    await expectAllRefused(
      'REST',
      rest,
      async (tok) =>
        (
          await httpCall(`${t.cp}/api/am/devportal/v3/applications`, {
            headers: { authorization: `Bearer ${tok}` },
          })
        ).status,
    );
    assert.equal(jwksHits, 0);
  });

  it('the boundaries are real: inside the skew is accepted, so the refusals above are for the reasons named', async () => {
    const real = t.keys.primary.privateKey;
    const key = segments(t.apiKey);
    const withinExp = signed(
      key.header,
      { ...key.payload, jti: randomUUID(), iat: now() - 4000, exp: now() - 200 },
      real,
      true,
    );
    const withinNbf = signed(
      key.header,
      { ...key.payload, jti: randomUUID(), iat: now(), nbf: now() + 200 },
      real,
      true,
    );
    assert.equal((await t.call(MENU, { apikey: withinExp })).status, 200, 'expired 200 s ago, skew 300 s');
    assert.equal((await t.call(MENU, { apikey: withinNbf })).status, 200, 'nbf in 200 s, skew 300 s');
    const tok = segments(t.accessToken);
    const tokenWithinExp = signed(
      tok.header,
      { ...tok.payload, jti: randomUUID(), iat: now() - 4000, nbf: now() - 4000, exp: now() - 200 },
      real,
      false,
    );
    assert.equal((await t.call(MENU, { authorization: `Bearer ${tokenWithinExp}` })).status, 200);
  });
});
