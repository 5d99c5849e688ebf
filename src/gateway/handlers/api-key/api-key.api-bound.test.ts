import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Snapshot, SnapshotApiKey } from '../../../core/index.js';
import { newOpaqueApiKey, opaqueKeyHash } from '../../../crypto/index.js';
import { defaultGatewaySettings } from '../../gateway-options.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureApi, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import { randomUUID } from 'node:crypto';
import { apiKeySigner, keyManagerKeys, mintAccessToken } from '../../test-support/mint-tokens.js';

const SECRET = Buffer.from('gateway-test-secret-0123456789abcdef');
const D = 'http://wso2.org/claims';
const NOT_SUBSCRIBED =
  '{"code":"900908","message":"Resource forbidden ","description":"User is NOT authorized to access the Resource. API Subscription validation failed."}';

function boundKey(key: string, jti: string, over: Partial<SnapshotApiKey> = {}): SnapshotApiKey {
  return {
    jti,
    format: 'opaque',
    hash: opaqueKeyHash(SECRET, key),
    applicationId: null,
    apiId: 'free',
    keyType: 'PRODUCTION',
    subject: 'alice',
    permittedIP: null,
    permittedReferer: null,
    expiresAt: null,
    graceExpiresAt: null,
    ...over,
  };
}

describe('API-bound opaque keys at the gateway', () => {
  const km = keyManagerKeys();
  const keys = {
    free: newOpaqueApiKey('portico'),
    free2: newOpaqueApiKey('portico'),
    pizza: newOpaqueApiKey('portico'),
    restricted: newOpaqueApiKey('portico'),
  };
  let h: Harness;
  let base: Snapshot;
  const withKeys = (apiKeys: SnapshotApiKey[], version: number): Snapshot => ({
    ...base,
    version,
    apiKeys,
  });
  const initialKeys = () => [
    boundKey(keys.free, 'k-free'),
    boundKey(keys.free2, 'k-free2'),
    boundKey(keys.pizza, 'k-pizza', { apiId: 'pizza' }),
    boundKey(keys.restricted, 'k-restricted', { permittedIP: '10.0.0.0/8' }),
  ];

  before(async () => {
    const s = defaultGatewaySettings();
    h = await startHarness(
      (u) => {
        const f = fixtureSnapshot(u, km.jwk);
        base = {
          ...f,
          apis: [
            ...f.apis,
            fixtureApi('free', '/free', u, { subscriptionlessTier: 'DefaultSubscriptionless' }),
            fixtureApi('free-other', '/freeother', u, { subscriptionlessTier: 'DefaultSubscriptionless' }),
          ],
          policies: [
            ...f.policies,
            {
              name: 'DefaultSubscriptionless',
              level: 'subscription',
              requestCount: 2,
              unitTimeMs: 60_000,
              stopOnQuotaReach: true,
              burst: null,
            },
          ],
        };
        return withKeys(initialKeys(), 1);
      },
      {
        backendJwt: { ...s.backendJwt, enabled: true, encoding: 'base64url' },
        backendJwtKey: { privateKey: apiKeySigner.privateKey, certificate: apiKeySigner.certificate },
      },
      { apiKeyHashSecret: SECRET },
    );
  });
  after(() => h.close());

  const call = (path: string, key: string) => h.request(path, { headers: { ApiKey: key } });
  const lastClaims = () => {
    const jwt = h.seen.at(-1)!.headers['x-jwt-assertion'] as string;
    return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
  };

  it('works for its API only: another API (even subscriptionless) is 403 900908', async () => {
    assert.equal((await call('/free/1.0.0/menu', keys.free)).status, 200);
    const other = await call('/freeother/1.0.0/menu', keys.free);
    assert.equal(other.status, 403);
    assert.equal(other.body, NOT_SUBSCRIBED);
    const pizza = await call('/free/1.0.0/menu', keys.pizza);
    assert.equal(pizza.status, 403, 'a key bound to PizzaShack on the free API');
  });

  it('with no application: refused where a subscription is needed, restrictions still apply', async () => {
    const r = await call('/pizzashack/1.0.0/menu', keys.pizza);
    assert.equal(r.status, 403);
    assert.equal(r.body, NOT_SUBSCRIBED);
    const restricted = await call('/free/1.0.0/order/1', keys.restricted);
    assert.equal(restricted.status, 403);
    assert.match(restricted.body, /Access forbidden for the invocations/);
  });

  it('backend JWT of a key with no application: subject, key type and the subscriptionless tier, no application', async () => {
    assert.equal((await call('/free/1.0.0/order/7', keys.free2)).status, 200);
    const c = lastClaims();
    assert.equal(c.sub, 'alice');
    assert.equal(c[`${D}/enduser`], 'alice@carbon.super');
    assert.equal(c[`${D}/keytype`], 'PRODUCTION');
    assert.equal(c[`${D}/tier`], 'DefaultSubscriptionless');
    assert.equal(c[`${D}/applicationid`], '');
    assert.equal(c[`${D}/applicationname`], '');
    assert.equal(c[`${D}/applicationUUId`], '');
    assert.equal(c[`${D}/subscriber`], '');
    assert.equal(c[`${D}/apicontext`], '/free/1.0.0');
  });

  it('throttled per key by the subscriptionless tier (2 per minute): 900804, another key unaffected', async () => {
    // k-free made 1 call above; k-free2 made 1.
    assert.equal((await call('/free/1.0.0/menu', keys.free)).status, 200);
    const over = await call('/free/1.0.0/menu', keys.free);
    assert.equal(over.status, 429);
    assert.match(over.body, /"code":"900804"/);
    assert.equal((await call('/free/1.0.0/menu', keys.free2)).status, 200, 'its own counter');
  });

  it('an association delta takes effect while the key is cached: the application and its subscription apply', async () => {
    assert.equal((await call('/pizzashack/1.0.0/menu', keys.pizza)).status, 403);
    const associated = (appId: number) =>
      initialKeys().map((k) => (k.jti === 'k-pizza' ? { ...k, applicationId: appId } : k));
    h.source.publish(withKeys(associated(APPS.unsubscribed), 2));
    await h.gateway.ready();
    const unsubscribed = await call('/pizzashack/1.0.0/menu', keys.pizza);
    assert.equal(unsubscribed.status, 403);
    assert.equal(unsubscribed.body, NOT_SUBSCRIBED);
    h.source.publish(withKeys(associated(APPS.subscribed), 3));
    await h.gateway.ready();
    assert.equal((await call('/pizzashack/1.0.0/menu', keys.pizza)).status, 200);
    const c = lastClaims();
    assert.equal(c[`${D}/applicationid`], String(APPS.subscribed));
    assert.equal(c[`${D}/applicationname`], 'subscribed');
    assert.equal(c[`${D}/tier`], 'Unlimited');
    // A subscription in a blocked state refuses it, as for the application's own keys.
    h.source.publish(withKeys(associated(APPS.blocked), 4));
    await h.gateway.ready();
    assert.equal((await call('/pizzashack/1.0.0/menu', keys.pizza)).status, 403);
    // Dissociated again.
    h.source.publish(withKeys(initialKeys(), 5));
    await h.gateway.ready();
    assert.equal((await call('/pizzashack/1.0.0/menu', keys.pizza)).status, 403);
  });

  it('an associated key on a subscriptionless API is throttled as its application (per application, not per key)', async () => {
    const asApp = initialKeys().map((k) =>
      k.jti === 'k-free' || k.jti === 'k-free2' ? { ...k, applicationId: APPS.unsubscribed } : k,
    );
    h.source.publish(withKeys(asApp, 6));
    await h.gateway.ready();
    h.clock.advance(60_000);
    assert.equal((await call('/free/1.0.0/menu', keys.free)).status, 200);
    assert.equal(lastClaims()[`${D}/applicationname`], 'unsubscribed');
    assert.equal((await call('/free/1.0.0/menu', keys.free2)).status, 200);
    assert.equal((await call('/free/1.0.0/menu', keys.free)).status, 429, 'the two keys share the app quota');
    // Associated with an application the gateway no longer knows (deleted): refused, not served as keyless.
    const gone = initialKeys().map((k) => (k.jti === 'k-free2' ? { ...k, applicationId: 999 } : k));
    h.source.publish(withKeys(gone, 7));
    await h.gateway.ready();
    assert.equal((await call('/free/1.0.0/menu', keys.free2)).status, 403);
  });

  it('OAuth2 on a subscriptionless API: an unsubscribed application is accepted with the subscriptionless tier', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const token = mintAccessToken(km.privateKey, {
      sub: 'admin',
      azp: `ck-${APPS.unsubscribed}`,
      iss: KM_ISSUER,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
    });
    const headers = { authorization: `Bearer ${token}` };
    assert.equal((await h.request('/freeother/1.0.0/menu', { headers })).status, 200);
    assert.equal(lastClaims()[`${D}/tier`], 'DefaultSubscriptionless');
    assert.equal(lastClaims()[`${D}/applicationname`], 'unsubscribed');
    const paid = await h.request('/pizzashack/1.0.0/menu', { headers });
    assert.equal(paid.status, 403, 'an API that needs a subscription still refuses it');
  });
});
