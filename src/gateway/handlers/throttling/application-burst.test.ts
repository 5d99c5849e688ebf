import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import type { Snapshot, SnapshotThrottlePolicy } from '../../../core/index.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../../test-support/mint-tokens.js';
import { startSharedGateways } from '../../test-support/shared-gateways.js';
import { TEST_REDIS_URL, testRedisUp } from '../../../../test/support/test-redis.js';

// Application policy burst control (WSO2 4.x `burstLimit`, ThrottleHandler.isApplicationLevelSpike): 900809 per
// (application, end user), checked before the application quota.
const km = keyManagerKeys();
const appPolicy = (requestCount: number, burst: SnapshotThrottlePolicy['burst']): SnapshotThrottlePolicy => ({
  name: 'AppBurst',
  level: 'application',
  requestCount,
  unitTimeMs: 60_000,
  stopOnQuotaReach: true,
  burst,
});
/** The fixture with application `subscribed` on the application policy `AppBurst`. */
function withAppPolicy(snap: Snapshot, policy: SnapshotThrottlePolicy, version = snap.version): Snapshot {
  return {
    ...snap,
    version,
    applications: snap.applications.map((a) =>
      a.id === APPS.subscribed ? { ...a, throttlingPolicy: policy.name } : a,
    ),
    policies: [...snap.policies, policy],
  };
}

const burstBody = (next: string) =>
  `{"code":"900809","message":"Message throttled out","description":"You have exceeded your application burst limit quota .You can access API after ${next}","nextAccessTime":"${next}"}`;

describe('application policy burst control', () => {
  let h: Harness;
  let version = 1;
  const publish = (policy: SnapshotThrottlePolicy) =>
    h.source.publish(withAppPolicy(fixtureSnapshot(h.upstreamUrl, km.jwk), policy, ++version));
  before(async () => {
    h = await startHarness(
      (u) => withAppPolicy(fixtureSnapshot(u, km.jwk), appPolicy(1000, { limit: 3, unit: 'sec' })),
      { metrics: { access: 'loopback', token: '' } },
    );
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const oauth = (sub = 'alice') => ({
    authorization: `Bearer ${mintAccessToken(km.privateKey, { sub, azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`,
  });
  const statuses = async (n: number, headers: Record<string, string>) => {
    const out: number[] = [];
    for (let i = 0; i < n; i++) out.push((await h.request('/pizzashack/1.0.0/menu', { headers })).status);
    return out;
  };
  /** Moves the fake clock to the start of the next second (fixed windows are aligned to the epoch). */
  const nextSecond = () => h.clock.advance(1000 - (h.clock.now() % 1000));

  it('burst 3/sec: the 4th request in the same second gets 900809 with Retry-After; the next second passes', async () => {
    const alice = oauth('alice');
    assert.deepEqual(await statuses(3, alice), [200, 200, 200]);
    const r = await h.request('/pizzashack/1.0.0/menu', { headers: alice });
    assert.equal(r.status, 429);
    assert.equal(r.body, burstBody('2026-Jan-01 00:00:01+0000 UTC'));
    assert.equal(r.headers['retry-after'], '1');
    // Per (application, end user), like WSO2's `{applicationId}:{user}` key: another user of the app is not refused.
    assert.deepEqual(await statuses(3, oauth('bob')), [200, 200, 200]);
    h.clock.advance(1000);
    assert.deepEqual(await statuses(4, alice), [200, 200, 200, 429]);
  });

  it('exact under concurrency: of 12 requests sent at once, exactly 3 pass', async () => {
    nextSecond();
    const headers = oauth('carol');
    const all = await Promise.all(
      Array.from({ length: 12 }, () => h.request('/pizzashack/1.0.0/menu', { headers })),
    );
    assert.equal(all.filter((r) => r.status === 200).length, 3);
    assert.ok(all.filter((r) => r.status !== 200).every((r) => JSON.parse(r.body).code === '900809'));
  });

  it('a request refused by the burst does not use the quota; the quota still answers 900803', async () => {
    publish(appPolicy(4, { limit: 3, unit: 'sec' }));
    nextSecond();
    const dave = oauth('dave');
    assert.deepEqual(await statuses(5, dave), [200, 200, 200, 429, 429]);
    nextSecond();
    // 3 of the quota of 4 used: one more passes, then the quota refuses.
    assert.deepEqual(await statuses(1, dave), [200]);
    const r = await h.request('/pizzashack/1.0.0/menu', { headers: dave });
    assert.equal(r.status, 429);
    assert.equal(JSON.parse(r.body).code, '900803');
  });

  it('a changed policy applies from the next snapshot: per minute, then without burst control', async () => {
    publish(appPolicy(1000, { limit: 2, unit: 'min' }));
    h.clock.advance(60_000 - (h.clock.now() % 60_000));
    const erin = oauth('erin');
    assert.deepEqual(await statuses(3, erin), [200, 200, 429]);
    h.clock.advance(1000);
    assert.deepEqual(await statuses(1, erin), [429]);
    publish(appPolicy(1000, null));
    assert.deepEqual(await statuses(5, erin), [200, 200, 200, 200, 200]);
  });

  it('refusals are counted under the metrics level application_burst', async () => {
    const families = parsePrometheusTextFormat((await h.request('/metrics')).body);
    const throttled = families.find((f) => f.name === 'portico_gateway_throttled_total');
    const byLevel = new Map(
      (throttled?.metrics ?? []).map((m) => [`${m.labels?.level}/${m.labels?.policy}`, Number(m.value)]),
    );
    // 2 (first test) + 9 (concurrency) + 2 (quota test) + 2 (per minute) burst refusals; 1 quota refusal.
    assert.equal(byLevel.get('application_burst/AppBurst'), 15);
    assert.equal(byLevel.get('application/AppBurst'), 1);
  });
});

// ADR 0004: the burst control goes through the same shared counter as every quota, so two gateways on one Redis
// admit an application user's burst together, not each.
const BURST = 40;
const redisUp = await testRedisUp();
describe(
  'application burst shared by two gateways through Redis leases',
  { skip: !redisUp && `Redis unreachable at ${TEST_REDIS_URL}` },
  () => {
    let gateways: Harness[] = [];
    let close = async () => {};
    before(async () => {
      ({ gateways, close } = await startSharedGateways(
        (u) => withAppPolicy(fixtureSnapshot(u, km.jwk), appPolicy(100_000, { limit: BURST, unit: 'min' })),
        2,
        60_000,
      ));
    });
    after(() => close());

    it(`admits about ${BURST} in the minute in total (not ${BURST} each), then 900809 on both`, async () => {
      const now = Math.floor(gateways[0]!.clock.now() / 1000);
      const headers = {
        authorization: `Bearer ${mintAccessToken(km.privateKey, { sub: 'shared', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: now, exp: now + 3600, jti: randomUUID() })}`,
      };
      let admitted = 0;
      for (let i = 0; i < 3 * BURST; i++) {
        const r = await gateways[i % 2]!.request('/pizzashack/1.0.0/menu', { headers });
        if (r.status === 200) admitted++;
        else assert.equal(JSON.parse(r.body).code, '900809');
      }
      // Exact within the lease design's bound: at most one credit request per holder above the limit.
      assert.ok(admitted <= BURST + 2 && admitted >= BURST - 4, `admitted ${admitted}`);
      for (const g of gateways)
        assert.equal((await g.request('/pizzashack/1.0.0/menu', { headers })).status, 429);
    });
  },
);
