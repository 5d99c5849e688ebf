import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../core/index.js';
import type { Harness } from '../../test-support/gateway-harness.js';
import { fixtureSnapshot } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys } from '../../test-support/mint-tokens.js';
import { startSharedGateways } from '../../test-support/shared-gateways.js';
import { TEST_REDIS_URL, testRedisUp } from '../../../../test/support/test-redis.js';

const LIMIT = 40;
const W = 60_000;
const up = await testRedisUp();

const withMaxTps = (snap: Snapshot): Snapshot => ({
  ...snap,
  apis: snap.apis.map((a) =>
    a.id === 'pizza' ? { ...a, maxTps: { production: { count: LIMIT, unitMs: W }, sandbox: null } } : a,
  ),
});

// ADR 0004: backend throttling goes through the same shared counter as every quota, so two gateways on one
// Redis admit the API's maxTps together, not each.
describe(
  'maxTps shared by two gateways through Redis leases',
  { skip: !up && `Redis unreachable at ${TEST_REDIS_URL}` },
  () => {
    const km = keyManagerKeys();
    let gateways: Harness[] = [];
    let close = async () => {};
    before(async () => {
      ({ gateways, close } = await startSharedGateways((u) => withMaxTps(fixtureSnapshot(u, km.jwk)), 2, W));
    });
    after(() => close());

    it(`admits about ${LIMIT} in total (not ${LIMIT} each), then 900801 on both`, async () => {
      let admitted = 0;
      let refused = 0;
      for (let i = 0; i < 3 * LIMIT; i++) {
        const r = await gateways[i % 2]!.request('/pizzashack/1.0.0/open');
        if (r.status === 200) admitted++;
        else {
          assert.equal(r.status, 503);
          assert.equal(JSON.parse(r.body).code, '900801');
          refused++;
        }
      }
      // Exact within the lease design's bound: at most one credit request per holder above the limit.
      assert.ok(admitted <= LIMIT + 2, `admitted ${admitted}`);
      assert.ok(admitted >= LIMIT - 4, `admitted ${admitted}`);
      assert.equal(admitted + refused, 3 * LIMIT);
      for (const g of gateways) assert.equal((await g.request('/pizzashack/1.0.0/open')).status, 503);
    });
  },
);
