import { signCompactJws } from '../../../crypto/jws/index.js';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken, signJws } from '../../test-support/mint-tokens.js';
import { BODY, CHALLENGE, FAULT_CONTENT_TYPE } from '../../test-support/expected-faults.js';

describe('OAuth2 bearer JWT', () => {
  const km = keyManagerKeys();
  const other = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk));
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const claims = (consumerKey: string, extra: Record<string, unknown> = {}) => ({
    sub: 'admin',
    aut: 'APPLICATION',
    aud: consumerKey,
    nbf: nowSec(),
    azp: consumerKey,
    scope: 'default',
    iss: KM_ISSUER,
    exp: nowSec() + 3600,
    iat: nowSec(),
    jti: randomUUID(),
    ...extra,
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const call = (token: string, path = '/pizzashack/1.0.0/menu') =>
    h.request(path, { headers: bearer(token) });

  it('a valid token reaches the production endpoint without the Authorization header', async () => {
    const r = await h.request('/pizzashack/1.0.0/menu', {
      headers: {
        authorization: `bEaReR ${mintAccessToken(km.privateKey, claims('ck-1'))}`,
        'x-custom': 'kept',
      },
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-upstream'], 'yes');
    const seen = h.seen.at(-1)!;
    assert.equal(seen.url, '/prod/api/menu');
    assert.equal(seen.headers.authorization, undefined);
    assert.equal(seen.headers['x-custom'], 'kept');
    assert.equal(seen.headers['x-forwarded-for'], '127.0.0.1');
  });

  it('a cached token works again and a sandbox key goes to the sandbox endpoint', async () => {
    const token = mintAccessToken(km.privateKey, claims('ck-1-sb'));
    for (let i = 0; i < 2; i++) {
      const r = await call(token);
      assert.equal(r.status, 200);
      assert.equal(h.seen.at(-1)?.url, '/sandbox/menu');
    }
  });

  it('two Authorization headers are refused even when the first is valid', async () => {
    const good = mintAccessToken(km.privateKey, claims('ck-1'));
    assert.equal(
      (await h.rawRequest('/pizzashack/1.0.0/menu', [['Authorization', `Bearer ${good}`]])).status,
      200,
    );
    const twice = await h.rawRequest('/pizzashack/1.0.0/menu', [
      ['Authorization', `Bearer ${good}`],
      ['Authorization', 'Bearer junk'],
    ]);
    assert.equal(twice.status, 401);
    assert.equal(twice.body, BODY.invalid);
  });

  it('no credential at all is 900902 with the exact body and WWW-Authenticate', async () => {
    const r = await h.request('/pizzashack/1.0.0/menu');
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.missing);
    assert.equal(r.headers['www-authenticate'], CHALLENGE);
    assert.equal(r.headers['content-type'], FAULT_CONTENT_TYPE);
  });

  it('invalid tokens are 900901', async () => {
    const good = mintAccessToken(km.privateKey, claims('ck-1'));
    const [hd, pl] = good.split('.');
    const tampered = `${hd}.${Buffer.from(JSON.stringify(claims('ck-2'))).toString('base64url')}.${good.split('.')[2]}`;
    const pub = Buffer.from(JSON.stringify(km.jwk));
    const hsInput = `${Buffer.from('{"alg":"HS256","kid":"km-key-1"}').toString('base64url')}.${pl}`;
    const cases: Record<string, string> = {
      garbage: 'not-a-jwt',
      tampered,
      'wrong signer': mintAccessToken(other.privateKey, claims('ck-1')),
      'alg none': `${Buffer.from('{"alg":"none","kid":"km-key-1"}').toString('base64url')}.${pl}.`,
      'HS256 with the public key': `${hsInput}.${signJws('HS256', pub, hsInput).toString('base64url')}`,
      expired: mintAccessToken(km.privateKey, claims('ck-1', { exp: nowSec() - 301 })),
      'not yet valid': mintAccessToken(km.privateKey, claims('ck-1', { nbf: nowSec() + 1000 })),
      'unknown issuer': mintAccessToken(km.privateKey, claims('ck-1', { iss: 'https://evil' })),
      'unknown consumer key': mintAccessToken(km.privateKey, claims('ck-unknown')),
      // Buffer.from(s, 'base64url') skipped these: the same token with junk was accepted (issue 10).
      'valid token + !!!': `${good}!!!`,
      'valid token + ==': `${good}==`,
      'valid token + garbage': `${good}garbage`,
      '* inside the signature': `${good.slice(0, -20)}*${good.slice(-20)}`,
      'valid token padded': `${good}${'='.repeat((4 - (good.split('.')[2]!.length % 4)) % 4) || '===='}`,
      'crit header': mintAccessToken(km.privateKey, claims('ck-1'), {
        alg: 'RS256',
        kid: 'km-key-1',
        crit: ['x'],
        x: 1,
      }),
      'born expired (exp before iat, inside the skew)': mintAccessToken(
        km.privateKey,
        claims('ck-1', { exp: nowSec() - 5 }),
      ),
      'alg None': `${Buffer.from('{"alg":"None","kid":"km-key-1"}').toString('base64url')}.${pl}.`,
      'PS256 by the right key when its JWK says RS256': signCompactJws({
        header: { kid: 'km-key-1' },
        payload: claims('ck-1'),
        privateKey: km.privateKey,
        alg: 'PS256',
        padded: false,
      }),
    };
    for (const [name, token] of Object.entries(cases)) {
      const r = await call(token);
      assert.equal(r.status, 401, name);
      assert.equal(r.body, BODY.invalid, name);
      assert.equal(r.headers['www-authenticate'], CHALLENGE, name);
    }
  });

  it('an expired token within the 300 s skew still passes; no exp never expires', async () => {
    assert.equal(
      (
        await call(
          mintAccessToken(km.privateKey, claims('ck-1', { iat: nowSec() - 3600, exp: nowSec() - 200 })),
        )
      ).status,
      200,
    );
    assert.equal(
      (await call(mintAccessToken(km.privateKey, claims('ck-1', { exp: undefined })))).status,
      200,
    );
  });

  it('an unknown kid is 900901 and asks for a JWKS refetch', async () => {
    const token = mintAccessToken(km.privateKey, claims('ck-1'), { alg: 'RS256', kid: 'rotated' });
    const r = await call(token);
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.invalid);
    assert.deepEqual(h.unknownKids, ['Resident Key Manager']);
  });

  it('subscription states: missing 908, BLOCKED 907, PROD_ONLY_BLOCKED 907 / sandbox ok, ON_HOLD & REJECTED 909', async () => {
    const cases: [string, number, string | null][] = [
      [`ck-${APPS.unsubscribed}`, 403, BODY.notSubscribed],
      [`ck-${APPS.blocked}`, 401, BODY.subBlocked],
      [`ck-${APPS.prodOnlyBlocked}`, 401, BODY.subBlocked],
      [`ck-${APPS.prodOnlyBlocked}-sb`, 200, null],
      [`ck-${APPS.onHold}`, 401, BODY.inactive],
      [`ck-${APPS.rejected}`, 401, BODY.inactive],
    ];
    for (const [ck, status, body] of cases) {
      const r = await call(mintAccessToken(km.privateKey, claims(ck)));
      assert.equal(r.status, status, ck);
      if (body !== null) assert.equal(r.body, body, ck);
    }
  });

  it('scopes use OR semantics; a token without any is 900910 (403)', async () => {
    const r = await call(mintAccessToken(km.privateKey, claims('ck-1')), '/pizzashack/1.0.0/scoped');
    assert.equal(r.status, 403);
    assert.equal(
      r.body,
      '{"code":"900910","message":"The access token does not allow you to access the requested resource","description":"User is NOT authorized to access the Resource: /scoped. Scope validation failed."}',
    );
    const ok = await call(
      mintAccessToken(km.privateKey, claims('ck-1', { scope: 'default pizza:admin' })),
      '/pizzashack/1.0.0/scoped',
    );
    assert.equal(ok.status, 200);
    const arr = await call(
      mintAccessToken(km.privateKey, claims('ck-1', { scope: ['pizza:read'] })),
      '/pizzashack/1.0.0/scoped',
    );
    assert.equal(arr.status, 200);
  });

  it('revoking a cached token in a new snapshot is enforced immediately', async () => {
    const jti = randomUUID();
    const token = mintAccessToken(km.privateKey, claims('ck-1', { jti }));
    assert.equal((await call(token)).status, 200);
    const next = fixtureSnapshot(h.upstreamUrl, km.jwk, 2);
    h.source.publish({ ...next, revokedTokens: [{ jti, exp: null }] });
    assert.equal(h.gateway.currentVersion(), 2);
    const r = await call(token);
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.revokedJwt);
  });

  it('a key without a production endpoint answers 900901', async () => {
    const r = await call(mintAccessToken(km.privateKey, claims('ck-1')), '/keyless/1.0.0/menu');
    assert.equal(r.status, 401);
    assert.equal(
      r.body,
      '{"code":"900901","message":"Invalid Credentials","description":"Production key offered to the API with no production endpoint. Make sure you have provided the correct security credentials"}',
    );
    assert.equal(
      (await call(mintAccessToken(km.privateKey, claims('ck-1-sb')), '/keyless/1.0.0/menu')).status,
      200,
    );
  });
});
