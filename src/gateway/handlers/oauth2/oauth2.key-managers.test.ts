import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../core/index.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER, KM_NAME } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../../test-support/mint-tokens.js';

const OKTA = 'Okta';
const OKTA_ISSUER = 'https://okta.example/oauth2/default';
const INVALID_JWT =
  '{"code":"900901","message":"Invalid Credentials","description":"Invalid JWT token. Make sure you have provided the correct security credentials"}';

/**
 * The fixture plus a second key manager (Okta) mapping `okta-ck` to the subscribed application; PizzaShack
 * accepts `keyManagers`, the other APIs every key manager.
 */
function twoKeyManagers(
  upstream: string,
  resident: ReturnType<typeof keyManagerKeys>,
  okta: ReturnType<typeof keyManagerKeys>,
  keyManagers: readonly string[] | undefined,
  version = 1,
): Snapshot {
  const snap = fixtureSnapshot(upstream, resident.jwk, version);
  const residentKm = snap.keyManagers[0]!;
  return {
    ...snap,
    apis: snap.apis.map((a) => (a.id === 'pizza' ? { ...a, keyManagers } : a)),
    keyManagers: [
      residentKm,
      {
        ...residentKm,
        name: OKTA,
        type: 'Okta',
        issuer: OKTA_ISSUER,
        consumerKeyClaim: 'cid',
        jwks: [okta.jwk],
      },
    ],
    keyMappings: [
      ...snap.keyMappings,
      { consumerKey: 'okta-ck', keyManager: OKTA, applicationId: APPS.subscribed, keyType: 'PRODUCTION' },
    ],
  };
}

describe("an API's keyManagers list", () => {
  const resident = keyManagerKeys();
  const okta = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => twoKeyManagers(u, resident, okta, [KM_NAME]));
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const residentToken = () =>
    `Bearer ${mintAccessToken(resident.privateKey, { sub: 'admin', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;
  const oktaToken = () =>
    `Bearer ${mintAccessToken(okta.privateKey, { sub: 'admin', cid: 'okta-ck', iss: OKTA_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;
  const get = (path: string, authorization: string) => h.request(path, { headers: { authorization } });

  it('accepts tokens of a listed key manager', async () => {
    assert.equal((await get('/pizzashack/1.0.0/menu', residentToken())).status, 200);
  });

  it("refuses a valid token of another configured key manager: 401 900901 'Invalid JWT token' (WSO2)", async () => {
    const seen = h.seen.length;
    const token = oktaToken();
    const r = await get('/pizzashack/1.0.0/menu', token);
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
    assert.match(String(r.headers['www-authenticate']), /error="invalid_token"/);
    assert.equal(h.seen.length, seen);
    // The same token, now cached as verified, is refused again; an API accepting every key manager takes it.
    assert.equal((await get('/pizzashack/1.0.0/menu', token)).status, 401);
    assert.equal((await get('/apilimited/1.0.0/menu', token)).status, 200);
  });

  it('a snapshot with ["all"] (or no list, as older control planes send) accepts every key manager', async () => {
    h.source.publish(twoKeyManagers(h.upstreamUrl, resident, okta, ['all'], 2));
    assert.equal((await get('/pizzashack/1.0.0/menu', oktaToken())).status, 200);
    h.source.publish(twoKeyManagers(h.upstreamUrl, resident, okta, undefined, 3));
    assert.equal((await get('/pizzashack/1.0.0/menu', oktaToken())).status, 200);
  });

  it('a list naming only Okta refuses the resident key manager', async () => {
    h.source.publish(twoKeyManagers(h.upstreamUrl, resident, okta, [OKTA], 4));
    assert.equal((await get('/pizzashack/1.0.0/menu', oktaToken())).status, 200);
    const r = await get('/pizzashack/1.0.0/menu', residentToken());
    assert.equal(r.status, 401);
    assert.equal(r.body, INVALID_JWT);
  });

  it('an empty list accepts no key manager (WSO2)', async () => {
    h.source.publish(twoKeyManagers(h.upstreamUrl, resident, okta, [], 5));
    for (const token of [oktaToken(), residentToken()]) {
      const r = await get('/pizzashack/1.0.0/menu', token);
      assert.equal(r.status, 401);
      assert.equal(r.body, INVALID_JWT);
    }
  });
});
