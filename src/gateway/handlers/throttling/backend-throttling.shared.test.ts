import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { Snapshot } from '../../../core/index.js';
import { createRedisPermitStore, type RedisPermitStore } from '../../background/redis-permit-store.js';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { fixtureSnapshot } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys } from '../../test-support/mint-tokens.js';
import { LeaseCounter } from './lease-counter.js';
import { redisTestNamespace, testRedisUp } from '../../../../test/support/test-redis.js';

const redis = redisTestNamespace();
const { url, namespace } = redis;
const LIMIT = 40;
const W = 60_000;

const up = await testRedisUp(url);

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
  { skip: !up && `Redis unreachable at ${url}` },
  () => {
    const logger = pino({ level: 'silent' });
    const km = keyManagerKeys();
    const stores: RedisPermitStore[] = [];
    const gateways: Harness[] = [];
    before(async () => {
      redis.open();
      for (let i = 0; i < 2; i++) {
        const store = createRedisPermitStore({ url, namespace });
        stores.push(store);
        const counter = new LeaseCounter({ source: store, holders: 2, logger });
        gateways.push(await startHarness((u) => withMaxTps(fixtureSnapshot(u, km.jwk)), {}, { counter }));
      }
      const end = Date.now() + 5000;
      while (!stores.every((s) => s.up) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      // Both clocks at the start of the next real minute: one window for the whole test, alive in Redis meanwhile.
      const next = Date.now() - (Date.now() % W) + W + 1;
      for (const g of gateways) g.clock.advance(next - g.clock.now());
    });
    after(async () => {
      for (const g of gateways) await g.close();
      for (const s of stores) await s.close();
      await redis.cleanUp();
    });

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
