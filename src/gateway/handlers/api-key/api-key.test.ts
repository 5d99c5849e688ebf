import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot } from '../../test-support/fixture-snapshot.js';
import {
  apiKeySigner,
  keyManagerKeys,
  lightweightClaims,
  mintApiKey,
} from '../../test-support/mint-tokens.js';
import { BODY, CHALLENGE } from '../../test-support/expected-faults.js';

describe('API keys (WSO2 JWT format)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk));
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const key = (appId: number = APPS.subscribed, extra: Record<string, unknown> = {}) =>
    mintApiKey(lightweightClaims(appId, nowSec(), extra));
  const call = (apiKey: string, path = '/pizzashack/1.0.0/menu') =>
    h.request(path, { headers: { apikey: apiKey } });

  it('keys really carry WSO2 padding', () => {
    assert.match(key(), /==$/);
  });

  it('a key in the header (any case) passes and is not forwarded; usage is reported', async () => {
    const claims = lightweightClaims(APPS.subscribed, nowSec());
    const r = await h.request('/pizzashack/1.0.0/menu?a=1', {
      headers: { APIKEY: `  ${mintApiKey(claims)} `, authorization: 'Basic dXNlcjpwdw==' },
    });
    assert.equal(r.status, 200);
    const seen = h.seen.at(-1)!;
    assert.equal(seen.url, '/prod/api/menu?a=1');
    assert.equal(seen.headers.apikey, undefined);
    assert.ok(h.apiKeysUsed.includes(claims.jti));
  });

  it('a key in the query (raw and %3D-encoded padding) passes and is stripped', async () => {
    const k = key();
    for (const q of [`apikey=${k}`, `apikey=${k.replace(/=/g, '%3D')}`]) {
      const r = await h.request(`/pizzashack/1.0.0/menu?x=1&${q}&y=2`);
      assert.equal(r.status, 200, q);
      assert.equal(h.seen.at(-1)?.url, '/prod/api/menu?x=1&y=2');
    }
  });

  it('broken keys are 900901 with the challenge', async () => {
    const valid = key();
    const [hd, , sig] = valid.split('.');
    const otherPayload = Buffer.from(JSON.stringify(lightweightClaims(APPS.unsubscribed, nowSec()))).toString(
      'base64url',
    );
    const cases: Record<string, string> = {
      'two segments': valid.split('.').slice(0, 2).join('.'),
      'tampered payload': `${hd}.${otherPayload}.${sig}`,
      'alg none': mintApiKey(lightweightClaims(APPS.subscribed, nowSec()), { alg: 'none' }),
      'HS256 signed with the public certificate': mintApiKey(lightweightClaims(APPS.subscribed, nowSec()), {
        alg: 'HS256',
        key: Buffer.from(apiKeySigner.certPem),
      }),
      'unknown kid': mintApiKey(lightweightClaims(APPS.subscribed, nowSec()), { kid: 'other_alias' }),
      'no kid': mintApiKey(lightweightClaims(APPS.subscribed, nowSec()), { kid: null }),
      'typ not JWT': mintApiKey(lightweightClaims(APPS.subscribed, nowSec()), { typ: 'at+jwt' }),
      expired: key(APPS.subscribed, { exp: nowSec() - 301 }),
      'token_type not apiKey': key(APPS.subscribed, { token_type: 'InternalKey' }),
      '3.x JWT access token': mintApiKey({ application: { id: 1 }, consumerKey: 'ck-1', jti: randomUUID() }),
    };
    for (const [name, k] of Object.entries(cases)) {
      const r = await call(k);
      assert.equal(r.status, 401, name);
      assert.equal(r.body, BODY.invalid, name);
      assert.equal(r.headers['www-authenticate'], CHALLENGE, name);
    }
  });

  it("an unparseable header is 401 900901, not WSO2's 500 900900 (client input is not a server error)", async () => {
    const r = await call(`bm90LWpzb24=.${key().split('.')[1]}.c2ln`);
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.invalid);
  });

  it('two keys in one request are refused, not guessed at', async () => {
    const k = key();
    const other = key();
    const both = await h.request(`/pizzashack/1.0.0/menu?apikey=${other}`, { headers: { apikey: k } });
    assert.equal(both.status, 401, 'header and a different query key');
    assert.equal(
      (await h.request(`/pizzashack/1.0.0/menu?apikey=${k}&apikey=${k}`)).status,
      401,
      'repeated query',
    );
    assert.equal(
      (await h.request(`/pizzashack/1.0.0/menu?apikey=${k}`, { headers: { apikey: k } })).status,
      200,
    );
    const twice = await h.rawRequest('/pizzashack/1.0.0/menu', [
      ['apikey', k],
      ['APIKEY', k],
    ]);
    assert.equal(twice.status, 401, 'repeated header');
    assert.equal((await h.rawRequest('/pizzashack/1.0.0/menu', [['apikey', k]])).status, 200);
  });

  it('expiry within the skew passes and is re-checked on cached keys', async () => {
    const k = key(APPS.subscribed, { exp: nowSec() + 10 });
    assert.equal((await call(k)).status, 200);
    h.clock.advance(311_000);
    assert.equal((await call(k)).status, 401);
  });

  it('subscription failures collapse to 900908 for API keys', async () => {
    for (const app of [APPS.unsubscribed, APPS.blocked, APPS.onHold, APPS.prodOnlyBlocked, 999]) {
      const r = await call(key(app));
      assert.equal(r.status, 403, String(app));
      assert.equal(r.body, BODY.notSubscribed);
    }
    assert.equal((await call(key(APPS.prodOnlyBlocked, { keytype: 'SANDBOX' }))).status, 200);
    assert.equal(h.seen.at(-1)?.url, '/sandbox/menu');
  });

  it('full-claims keys need a matching subscribedAPIs entry and the snapshot subscription', async () => {
    const full = (appId: number, context: string, version = '1.0.0') =>
      mintApiKey({
        sub: 'admin',
        application: { owner: 'admin', tier: 'Unlimited', name: 'x', id: appId, uuid: `app-uuid-${appId}` },
        tierInfo: { Unlimited: { stopOnQuotaReach: true, spikeArrestLimit: 0, spikeArrestUnit: null } },
        keytype: 'PRODUCTION',
        subscribedAPIs: [
          {
            subscriberTenantDomain: 'carbon.super',
            name: 'PizzaShackAPI',
            context,
            publisher: 'admin',
            version,
            subscriptionTier: 'Unlimited',
          },
        ],
        iat: nowSec(),
        jti: randomUUID(),
      });
    assert.equal((await call(full(APPS.subscribed, '/pizzashack/1.0.0'))).status, 200);
    assert.equal(
      (await call(full(4242, '/pizzashack/1.0.0'))).status,
      200,
      'app unknown to the snapshot: claim only',
    );
    for (const k of [
      full(APPS.subscribed, '/other/1.0.0'),
      full(APPS.subscribed, '/pizzashack/1.0.0', '2.0.0'),
      full(APPS.blocked, '/pizzashack/1.0.0'),
    ]) {
      const r = await call(k);
      assert.equal(r.status, 403);
      assert.equal(r.body, BODY.notSubscribed);
    }
  });

  it('revocation via a new snapshot evicts the cached key at once', async () => {
    const claims = lightweightClaims(APPS.subscribed, nowSec());
    const k = mintApiKey(claims);
    assert.equal((await call(k)).status, 200);
    const next = fixtureSnapshot(h.upstreamUrl, km.jwk, 5);
    h.source.publish({ ...next, revokedTokens: [{ jti: claims.jti, exp: null }] });
    const r = await call(k);
    assert.equal(r.status, 401);
    assert.equal(r.body, BODY.invalid);
  });
});
