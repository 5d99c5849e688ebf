import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';

// A new snapshot compiles new API objects: their series must continue the old ones (one line per label set,
// counts kept), not add a second line with the same labels on every snapshot (which Prometheus refuses as a
// duplicate series, and which grew without bound).
describe('gateway /metrics across snapshots', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), { metrics: { access: 'loopback', token: '' } });
  });
  after(() => h.close());

  it('keeps one series per label set, counting on, when a snapshot replaces the API', async () => {
    const nowSec = Math.floor(h.clock.now() / 1000);
    const authorization = `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: nowSec, exp: nowSec + 3600, jti: randomUUID() })}`;
    const call = async () =>
      (await h.request('/pizzashack/1.0.0/menu', { headers: { authorization } })).status;
    const statuses = [await call(), await call()];
    for (let v = 2; v <= 4; v++) {
      const current = await h.source.current();
      h.source.publish({ ...current, version: v });
      for (let i = 0; i < 50 && h.gateway.currentVersion() !== v; i++)
        await new Promise((r) => setTimeout(r, 10));
      statuses.push(await call(), (await h.request('/pizzashack/1.0.0/menu')).status);
    }
    assert.deepEqual(statuses, [200, 200, 200, 401, 200, 401, 200, 401]);
    const body = (await h.request('/metrics')).body;
    const lines = (prefix: string) => body.split('\n').filter((l) => l.startsWith(prefix));
    assert.deepEqual(lines('portico_gateway_requests_total{api="pizza-name"').sort(), [
      'portico_gateway_requests_total{api="pizza-name",version="1.0.0",status="200",fault_code=""} 5',
      'portico_gateway_requests_total{api="pizza-name",version="1.0.0",status="401",fault_code="900902"} 3',
    ]);
    assert.deepEqual(lines('portico_gateway_overhead_seconds_count{api="pizza-name"'), [
      'portico_gateway_overhead_seconds_count{api="pizza-name",version="1.0.0"} 8',
    ]);
    assert.deepEqual(lines('portico_gateway_upstream_seconds_count{api="pizza-name"'), [
      'portico_gateway_upstream_seconds_count{api="pizza-name",version="1.0.0"} 5',
    ]);
  });
});
