import assert from 'node:assert/strict';
import { createHmac, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { b64urlPadded, signCompactJws } from '../../src/crypto/index.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';

const PUB = '/api/am/publisher/v4';
const FORBIDDEN =
  '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}';

/**
 * Attacks on the Publisher's internal keys (`Internal-Key` header) against a real `portico start` process: alg
 * and kid tricks, foreign signers, tampered claims, keys that are not internal keys, another API's key, expired
 * keys, and header confusion. Forgeries the real issuer could sign are signed with the server's own key, so each
 * fails for the reason it names; a real key is accepted, so the suite cannot pass by refusing everything.
 */
describe('internal-key attacks against a real gateway', () => {
  let t: AttackTarget;
  let key = '';
  let otherKey = '';
  const attacker = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const now = () => Math.floor(Date.now() / 1000);
  const parts = (token: string) => {
    const [h, p] = token.split('.') as [string, string];
    return {
      header: JSON.parse(Buffer.from(h, 'base64url').toString()) as Record<string, unknown>,
      payload: JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>,
    };
  };
  const sign = (payload: Record<string, unknown>, privateKey: KeyObject, header: Record<string, unknown>) =>
    signCompactJws({ header, payload, privateKey, alg: 'RS256', padded: true });

  before(async () => {
    t = await startAttackTarget();
    const apis = (await t.rest('GET', `${PUB}/apis`)).json<{ list: { id: string; name: string }[] }>();
    const pizza = apis.list.find((a) => a.name === 'PizzaShackAPI')!;
    const generated = await t.rest('POST', `${PUB}/apis/${pizza.id}/generate-key`);
    assert.equal(generated.status, 200, generated.text);
    key = generated.json<{ apikey: string }>().apikey;
    const other = await t.rest('POST', `${PUB}/apis`, {
      name: 'Other',
      context: '/other',
      version: '1.0.0',
      policies: ['Unlimited'],
      endpointConfig: { endpoint_type: 'http', production_endpoints: { url: 'http://127.0.0.1:9/' } },
      operations: [{ target: '/*', verb: 'GET' }],
    });
    assert.equal(other.status, 201, other.text);
    otherKey = (await t.rest('POST', `${PUB}/apis/${other.json<{ id: string }>().id}/generate-key`)).json<{
      apikey: string;
    }>().apikey;
  });
  after(async () => {
    await t.stop();
  });

  it('a real internal key calls PizzaShack (the control case)', async () => {
    const r = await t.call(MENU, { 'Internal-Key': key });
    assert.equal(r.status, 200, r.body);
  });

  it('forged, tampered or foreign keys are 401 900901', async () => {
    const { header, payload } = parts(key);
    const real = t.keys.apiKeySigner.privateKey;
    const fresh: Record<string, unknown> = { ...payload, jti: randomUUID(), iat: now(), exp: now() + 600 };
    const [h64, p64, sig] = key.split('.') as [string, string, string];
    const enc = (o: object) => b64urlPadded(JSON.stringify(o));
    const hs256 = (secret: Buffer) => {
      const input = `${enc({ ...header, alg: 'HS256' })}.${enc(fresh)}`;
      return `${input}.${b64urlPadded(createHmac('sha256', secret).update(input).digest())}`;
    };
    const { exp: _exp, ...noExp } = fresh;
    const { api_id: _api, ...noApiId } = fresh;
    const cases: [string, string][] = [
      ['alg none, no signature', `${enc({ ...header, alg: 'none' })}.${enc(fresh)}.`],
      ['alg none, the real signature', `${enc({ ...header, alg: 'none' })}.${p64}.${sig}`],
      ['HS256 keyed with the certificate PEM', hs256(Buffer.from(t.keys.apiKeySigner.certificatePem))],
      ['HS256 keyed with the certificate DER', hs256(t.keys.apiKeySigner.certificate.raw)],
      ['ES256 header on the RS256 signature', `${enc({ ...header, alg: 'ES256' })}.${p64}.${sig}`],
      ['an attacker key under the real kid', sign(fresh, attacker.privateKey, header)],
      [
        'kid traversal (attacker key)',
        sign(fresh, attacker.privateKey, { ...header, kid: '../../etc/passwd' }),
      ],
      ['kid unknown (real key)', sign(fresh, real, { ...header, kid: 'not-a-trusted-alias' })],
      ['kid empty (real key)', sign(fresh, real, { ...header, kid: '' })],
      ['kid missing (real key)', sign(fresh, real, { typ: 'JWT' })],
      ['typ JOSE+JSON (real key)', sign(fresh, real, { ...header, typ: 'at+jwt' })],
      ['api_id swapped, signature kept', `${h64}.${enc({ ...payload, api_id: randomUUID() })}.${sig}`],
      ['exp extended, signature kept', `${h64}.${enc({ ...payload, exp: now() + 86400 * 365 })}.${sig}`],
      ['token_type apiKey (real key)', sign({ ...fresh, token_type: 'apiKey' }, real, header)],
      ['no token_type (real key)', sign({ ...fresh, token_type: undefined }, real, header)],
      ['no exp (real key)', sign(noExp, real, header)],
      ['no api_id (real key)', sign(noApiId, real, header)],
      [
        'expired beyond the skew (real key)',
        sign({ ...fresh, iat: now() - 7200, exp: now() - 3600 }, real, header),
      ],
      ['born expired (real key)', sign({ ...fresh, exp: fresh.iat as number }, real, header)],
      ['a real API key in Internal-Key', t.apiKey],
      ['an access token in Internal-Key', t.accessToken],
      ['trailing garbage', `${key}x`],
      ['four segments', `${key}.${sig}`],
    ];
    for (const [name, forged] of cases) {
      const r = await t.call(MENU, { 'Internal-Key': forged });
      assert.equal(r.status, 401, `${name}: ${r.body}`);
      assert.equal(JSON.parse(r.body).code, '900901', `${name}: ${r.body}`);
    }
  });

  it("another API's real key is 403 900908 (WSO2's subscription fault)", async () => {
    const r = await t.call(MENU, { 'Internal-Key': otherKey });
    assert.equal(r.status, 403);
    assert.equal(r.body, FORBIDDEN);
  });

  it('header confusion: the internal key is a credential only in Internal-Key, once', async () => {
    for (const [name, headers, path] of [
      ['apikey header', { apikey: key }, MENU],
      ['apikey query parameter', {}, `${MENU}?apikey=${encodeURIComponent(key)}`],
      ['Authorization: Bearer', { authorization: `Bearer ${key}` }, MENU],
      ['two keys in one Internal-Key', { 'Internal-Key': `${key}, ${key}` }, MENU],
    ] as [string, Record<string, string>, string][]) {
      const r = await t.call(path, headers);
      assert.equal(r.status, 401, `${name}: ${r.body}`);
      assert.equal(JSON.parse(r.body).code, '900901', `${name}: ${r.body}`);
    }
  });
});
