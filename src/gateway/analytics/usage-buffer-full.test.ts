import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';
import { UsageBuffer } from './usage-buffer.js';

const km = keyManagerKeys();

describe('a full usage buffer on a real gateway', () => {
  let h: Harness;
  // Room for one aggregate: the first answer's; any other kind of answer finds the buffer full.
  const usage = new UsageBuffer(1);
  before(async () => {
    h = await startHarness(
      (u) => fixtureSnapshot(u, km.jwk),
      { metrics: { access: 'loopback', token: '' } },
      { usage },
    );
  });
  after(() => h.close());

  it('drops and counts (metric and health note), never blocks, keeps counting what it holds', async () => {
    const now = Math.floor(h.clock.now() / 1000);
    const token = `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: now, exp: now + 3600, jti: randomUUID() })}`;
    const statuses: number[] = [];
    statuses.push((await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: token } })).status);
    statuses.push((await h.request('/pizzashack/1.0.0/menu')).status);
    statuses.push((await h.request('/pizzashack/1.0.0/menu')).status);
    statuses.push((await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: token } })).status);
    assert.deepEqual(statuses, [200, 401, 401, 200], 'requests are answered as usual');

    assert.equal(usage.dropped, 2);
    const metrics = await h.request('/metrics');
    assert.match(metrics.body, /^portico_gateway_usage_dropped_total 2$/m);
    // A count since start: a counter, so rate() and increase() apply (a gauge named _total misleads both).
    assert.match(metrics.body, /^# TYPE portico_gateway_usage_dropped_total counter$/m);
    const health = JSON.parse((await h.request('/health')).body) as { warnings: string[] };
    assert.ok(
      health.warnings.some((w) => /usage analytics: 2 request\(s\) not counted/.test(w)),
      JSON.stringify(health.warnings),
    );
    const held = usage.drain();
    assert.deepEqual(
      held.map((a) => [a.statusClass, a.keyKind, a.applicationId !== '', a.count]),
      [['2xx', 'oauth2', true, 2]],
    );
  });
});
