import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureApi, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import {
  keyManagerKeys,
  lightweightClaims,
  mintAccessToken,
  mintApiKey,
} from '../../test-support/mint-tokens.js';
import { BODY } from '../../test-support/expected-faults.js';

const KEY_NOT_ACCEPTED =
  '{"code":"900902","message":"Missing Credentials","description":"This API does not accept API keys. ' +
  "Make sure your API invocation call has a header: 'Authorization : Bearer ACCESS_TOKEN'\"}";
const BEARER_NOT_ACCEPTED =
  '{"code":"900902","message":"Missing Credentials","description":"This API does not accept OAuth2 access ' +
  "tokens. Make sure your API invocation call has a header: 'ApiKey : API_KEY'\"}";

describe('900902 says which credential an API does not accept', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => {
      const snap = fixtureSnapshot(u, km.jwk);
      const subscribed = (apiId: string) => ({
        id: `sub-${apiId}`,
        applicationId: APPS.subscribed,
        apiId,
        policy: 'Unlimited',
        status: 'UNBLOCKED' as const,
      });
      return {
        ...snap,
        apis: [
          ...snap.apis,
          fixtureApi('oauth-only', '/oauthonly', u, { securitySchemes: ['oauth2'] }),
          fixtureApi('key-only', '/keyonly', u, { securitySchemes: ['api_key'] }),
        ],
        subscriptions: [...snap.subscriptions, subscribed('oauth-only'), subscribed('key-only')],
      };
    });
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const apiKey = () => mintApiKey(lightweightClaims(APPS.subscribed, nowSec()));
  const token = () =>
    mintAccessToken(km.privateKey, {
      sub: 'admin',
      aut: 'APPLICATION',
      azp: `ck-${APPS.subscribed}`,
      scope: 'default',
      iss: KM_ISSUER,
      iat: nowSec(),
      exp: nowSec() + 3600,
      jti: randomUUID(),
    });

  it('an API key in the header or the query of an OAuth2-only API', async () => {
    for (const r of [
      await h.request('/oauthonly/1.0.0/menu', { headers: { apikey: apiKey() } }),
      await h.request('/oauthonly/1.0.0/menu', { headers: { ApiKey: apiKey() } }),
      await h.request(`/oauthonly/1.0.0/menu?a=1&apikey=${apiKey()}`),
    ]) {
      assert.equal(r.status, 401);
      assert.equal(r.body, KEY_NOT_ACCEPTED);
    }
    assert.equal(h.seen.length, 0, 'nothing reached the upstream');
  });

  it('a bearer token to an API-key-only API', async () => {
    const r = await h.request('/keyonly/1.0.0/menu', { headers: { authorization: `Bearer ${token()}` } });
    assert.equal(r.status, 401);
    assert.equal(r.body, BEARER_NOT_ACCEPTED);
  });

  it('the accepted credential still works, and no credential is the usual 900902', async () => {
    const ok = await h.request('/oauthonly/1.0.0/menu', { headers: { authorization: `Bearer ${token()}` } });
    assert.equal(ok.status, 200, ok.body);
    const key = await h.request('/keyonly/1.0.0/menu', { headers: { ApiKey: apiKey() } });
    assert.equal(key.status, 200, key.body);
    const none = await h.request('/oauthonly/1.0.0/menu', { headers: { 'x-apikey': 'x' } });
    assert.equal(none.status, 401);
    assert.equal(none.body, BODY.missing);
  });

  it('an API accepting both answers the usual 900902 when neither is sent', async () => {
    const r = await h.request('/pizzashack/1.0.0/menu?apikeys=1');
    assert.equal(r.body, BODY.missing);
  });
});
