import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Snapshot, SnapshotApi } from '../../../core/index.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../../test-support/mint-tokens.js';

const API_LIMIT_REACHED =
  '{"code":"900801","message":"API Limit Reached","description":"API not accepting requests"}';

/** The fixture with PizzaShack's `maxTps` set (the other APIs unchanged). */
const withMaxTps = (snap: Snapshot, maxTps: SnapshotApi['maxTps']): Snapshot => ({
  ...snap,
  apis: snap.apis.map((a) => (a.id === 'pizza' ? { ...a, maxTps } : a)),
});

describe('backend throttling (maxTps)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) =>
      withMaxTps(fixtureSnapshot(u, km.jwk), {
        production: { count: 4, unitMs: 60_000 },
        sandbox: { count: 1, unitMs: 1000 },
      }),
    );
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const bearer = (consumerKey: string) =>
    `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: consumerKey, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;
  const get = (path: string, authorization?: string) =>
    h.request(path, authorization === undefined ? {} : { headers: { authorization } });

  it('production: the limit holds for all callers together; 503 900801 with Retry-After; upstream not called', async () => {
    // Aligned to a minute window: the fake clock starts at 00:00:00.
    const a = bearer(`ck-${APPS.subscribed}`);
    const b = bearer(`ck-${APPS.appLimited}`);
    const statuses: number[] = [];
    for (const auth of [a, b, a, b]) statuses.push((await get('/pizzashack/1.0.0/menu', auth)).status);
    assert.deepEqual(statuses, [200, 200, 200, 200]);
    const seen = h.seen.length;
    const r = await get('/pizzashack/1.0.0/order/1', a);
    assert.equal(r.status, 503);
    assert.equal(r.body, API_LIMIT_REACHED);
    assert.equal(r.headers['retry-after'], '60');
    assert.equal(r.headers['content-type'], 'application/json; charset=UTF-8');
    assert.equal(h.seen.length, seen, 'the refused request never reached the backend');
    // Anonymous resources go to the production endpoint and are counted with it.
    assert.equal((await get('/pizzashack/1.0.0/open')).status, 503);
    // Another API has no limit.
    assert.equal((await get('/apilimited/1.0.0/menu', a)).status, 200);
  });

  it('sandbox keys count against the sandbox limit only', async () => {
    const sb = bearer(`ck-${APPS.subscribed}-sb`);
    assert.equal((await get('/pizzashack/1.0.0/menu', sb)).status, 200);
    const r = await get('/pizzashack/1.0.0/menu', sb);
    assert.equal(r.status, 503);
    assert.equal(r.body, API_LIMIT_REACHED);
    assert.equal(r.headers['retry-after'], '1');
    h.clock.advance(1000);
    assert.equal((await get('/pizzashack/1.0.0/menu', sb)).status, 200);
  });

  it('a new window admits again', async () => {
    h.clock.advance(60_000);
    assert.equal((await get('/pizzashack/1.0.0/menu', bearer(`ck-${APPS.subscribed}`))).status, 200);
  });
});

describe('backend throttling runs after the other policies (WSO2 checks the hard limit last)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) =>
      withMaxTps(fixtureSnapshot(u, km.jwk), {
        production: { count: 4, unitMs: 60_000 },
        sandbox: null,
      }),
    );
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const bearer = (consumerKey: string) =>
    `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: consumerKey, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;

  it('a request refused by its subscription policy uses no backend capacity; no sandbox limit means none', async () => {
    const limited = bearer(`ck-${APPS.subLimited}`); // subscription tier 3PerMin
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: limited } });
      codes.push(r.status === 200 ? '200' : (JSON.parse(r.body) as { code: string }).code);
    }
    assert.deepEqual(codes, ['200', '200', '200', '900804', '900804']);
    const other = bearer(`ck-${APPS.subscribed}`);
    assert.equal(
      (await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: other } })).status,
      200,
    );
    const r = await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: other } });
    assert.equal(JSON.parse(r.body).code, '900801');
    const sb = bearer(`ck-${APPS.subscribed}-sb`);
    for (let i = 0; i < 6; i++)
      assert.equal(
        (await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: sb } })).status,
        200,
      );
  });

  it('maxTps 0 closes the endpoint: every request 900801 and none reaches the backend', async () => {
    const snap = fixtureSnapshot(h.upstreamUrl, km.jwk, 2);
    h.source.publish(withMaxTps(snap, { production: { count: 0, unitMs: 1000 }, sandbox: null }));
    const seen = h.seen.length;
    h.clock.advance(60_000);
    const r = await h.request('/pizzashack/1.0.0/open');
    assert.equal(r.status, 503);
    assert.equal(r.body, API_LIMIT_REACHED);
    assert.equal(h.seen.length, seen);
  });

  it('a snapshot without maxTps lifts the limit', async () => {
    h.source.publish(fixtureSnapshot(h.upstreamUrl, km.jwk, 3));
    for (let i = 0; i < 6; i++) assert.equal((await h.request('/pizzashack/1.0.0/open')).status, 200);
  });
});
