import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import {
  keyManagerKeys,
  lightweightClaims,
  mintAccessToken,
  mintApiKey,
} from '../../test-support/mint-tokens.js';
import { InMemoryRateCounter } from './rate-counter.js';

const throttled = (code: string, next: string) =>
  `{"code":"${code}","message":"Message throttled out","description":"You have exceeded your quota .You can access API after ${next}","nextAccessTime":"${next}"}`;

describe('InMemoryRateCounter', () => {
  it('counts per fixed window and reports the time to the reset', () => {
    const c = new InMemoryRateCounter();
    const t = Date.UTC(2026, 0, 1, 0, 0, 10);
    assert.equal(c.hit('k', 2, 60_000, t), 0);
    assert.equal(c.hit('k', 2, 60_000, t), 0);
    assert.equal(c.hit('k', 2, 60_000, t), 50_000);
    assert.equal(c.hit('k', 2, 60_000, t + 50_000), 0);
  });

  it('sweeps expired windows when large', () => {
    const c = new InMemoryRateCounter({ sweepAbove: 10 });
    for (let i = 0; i < 10; i++) c.hit(`k${i}`, 1, 1000, 0);
    c.hit('late', 1, 1000, 5000);
    assert.equal(c.size, 1);
  });
});

describe('throttling', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      clientIp: { trustedProxies: ['127.0.0.1/32'], mode: 'rightmost-untrusted' },
    });
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const oauth = (appId: number, sub = 'admin') =>
    `Bearer ${mintAccessToken(km.privateKey, { sub, azp: `ck-${appId}`, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;
  const statuses = async (n: number, path: string, headers: Record<string, string>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await h.request(path, { headers })).status);
    return out;
  };

  it('subscription policy: 900804 with Retry-After and nextAccessTime, then a new window', async () => {
    const headers = { authorization: oauth(APPS.subLimited) };
    assert.deepEqual(await statuses(3, '/pizzashack/1.0.0/menu', headers), [200, 200, 200]);
    const r = await h.request('/pizzashack/1.0.0/menu', { headers });
    assert.equal(r.status, 429);
    assert.equal(r.body, throttled('900804', '2026-Jan-01 00:01:00+0000 UTC'));
    assert.equal(r.headers['retry-after'], '60');
    assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
    // The subscription is per (app, API): an API key of the same app shares the counter.
    const k = mintApiKey(lightweightClaims(APPS.subLimited, nowSec()));
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers: { apikey: k } })).status, 429);
    h.clock.advance(60_000);
    assert.equal((await h.request('/pizzashack/1.0.0/menu', { headers })).status, 200);
  });

  it('burst control: 900807', async () => {
    const headers = { authorization: oauth(APPS.burst) };
    assert.deepEqual(await statuses(2, '/pizzashack/1.0.0/menu', headers), [200, 200]);
    const r = await h.request('/pizzashack/1.0.0/menu', { headers });
    assert.equal(r.status, 429);
    assert.equal(r.body, throttled('900807', '2026-Jan-01 00:01:01+0000 UTC'));
    assert.equal(r.headers['retry-after'], '1');
  });

  it('application policy per (app, user): 900803', async () => {
    const alice = { authorization: oauth(APPS.appLimited, 'alice') };
    assert.deepEqual(await statuses(3, '/pizzashack/1.0.0/menu', alice), [200, 200, 429]);
    const r = await h.request('/pizzashack/1.0.0/menu', { headers: alice });
    assert.equal(JSON.parse(r.body).code, '900803');
    assert.equal(
      (
        await h.request('/pizzashack/1.0.0/menu', {
          headers: { authorization: oauth(APPS.appLimited, 'bob') },
        })
      ).status,
      200,
    );
  });

  it('resource policy: 900802; API policy: 900800', async () => {
    const headers = { authorization: oauth(APPS.subscribed) };
    assert.deepEqual(await statuses(3, '/pizzashack/1.0.0/limited', headers), [200, 200, 429]);
    assert.equal(JSON.parse((await h.request('/pizzashack/1.0.0/limited', { headers })).body).code, '900802');
    assert.deepEqual(await statuses(3, '/apilimited/1.0.0/menu', headers), [200, 200, 429]);
    assert.equal(JSON.parse((await h.request('/apilimited/1.0.0/order/1', { headers })).body).code, '900800');
  });

  it('anonymous resources are throttled per client IP', async () => {
    const from = (ip: string) => ({ 'x-forwarded-for': ip });
    assert.deepEqual(await statuses(3, '/pizzashack/1.0.0/open-limited', from('1.1.1.1')), [200, 200, 429]);
    assert.deepEqual(await statuses(2, '/pizzashack/1.0.0/open-limited', from('2.2.2.2')), [200, 200]);
  });

  it('stopOnQuotaReach=false only counts', async () => {
    const snap = fixtureSnapshot(h.upstreamUrl, km.jwk, 2);
    h.source.publish({
      ...snap,
      policies: snap.policies.map((p) => (p.name === '3PerMin' ? { ...p, stopOnQuotaReach: false } : p)),
    });
    const headers = { authorization: oauth(APPS.subLimited) };
    assert.deepEqual(await statuses(5, '/pizzashack/1.0.0/order/7', headers), [200, 200, 200, 200, 200]);
  });
});
