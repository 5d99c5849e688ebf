import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import { createRedisPermitStore, type RedisPermitStore } from './redis-permit-store.js';
import { createSharedPermitStore } from './shared-permit-store.js';
import { redisTestNamespace, testRedisUp } from '../../../test/support/test-redis.js';

const redis = redisTestNamespace();
const { url, namespace } = redis;
const W = 60_000;

const up = await testRedisUp(url);

const until = async (f: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.ok(f(), 'condition not reached in time');
};

describe('RedisPermitStore (Lua leases)', { skip: !up && `Redis unreachable at ${url}` }, () => {
  let store: RedisPermitStore;
  const start = Date.now() - (Date.now() % W);
  const req = (key: string, want: number, debt = 0, limit = 60, holders = 1) => ({
    key,
    limit,
    windowMs: W,
    windowStart: start,
    want,
    debt,
    holders,
  });
  before(async () => {
    store = createRedisPermitStore({ url, namespace });
    redis.open();
    await until(() => store.up);
  });
  after(async () => {
    await store.close();
    await redis.cleanUp();
  });

  it('grants at most 3 % of what remains per holder (at least 1), charges debt, and stops at the limit', async () => {
    assert.deepEqual(await store.acquire(req('a', 100, 0, 10_000, 4)), { granted: 75, remaining: 9925 });
    assert.deepEqual(await store.acquire(req('b', 5, 2)), { granted: 1, remaining: 57 });
    assert.deepEqual(await store.acquire(req('b', 1, 56)), { granted: 1, remaining: 0 });
    assert.deepEqual(await store.acquire(req('b', 1, 1)), { granted: 0, remaining: -1 });
    assert.equal(
      await redis.raw.get(`${namespace}:quota:b:${start}`),
      '61',
      'the counter holds every admission',
    );
    const ttl = await redis.raw.pttl(`${namespace}:quota:b:${start}`);
    assert.ok(ttl > 0 && ttl <= start + W - Date.now() + 1100, `expires with its window (+1 s): ${ttl}`);
  });

  it('takes permits back, never below zero', async () => {
    await store.acquire(req('c', 1, 10));
    store.release('c', start, W, 5);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await redis.raw.get(`${namespace}:quota:c:${start}`), '6');
    store.release('c', start, W, 100);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await redis.raw.get(`${namespace}:quota:c:${start}`), '0');
  });

  it('grants each permit once under concurrent holders', async () => {
    const grants = await Promise.all(Array.from({ length: 200 }, () => store.acquire(req('d', 3, 0, 60, 4))));
    assert.equal(
      grants.reduce((n, g) => n + g.granted, 0),
      60,
    );
  });
});

describe('SharedPermitStore without Redis', () => {
  it("enforces this gateway's share of the limit and logs the state once", async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    const store = createSharedPermitStore({
      redisUrl: 'redis://127.0.0.1:1',
      namespace: 'x',
      expectedGateways: 3,
      logger,
    });
    await until(() => lines.length > 0);
    const start = Date.now() - (Date.now() % W);
    let granted = 0;
    for (let i = 0; i < 50; i++) {
      const g = await store.acquire({
        key: 'k',
        limit: 60,
        windowMs: W,
        windowStart: start,
        want: 5,
        debt: 0,
        holders: 1,
      });
      granted += g.granted;
    }
    assert.equal(granted, 20, 'floor(60 / 3)');
    await new Promise((r) => setTimeout(r, 500));
    const unreachable = lines.filter((l) => l.includes('Redis unreachable, this gateway enforces 1/3'));
    assert.equal(unreachable.length, 1, lines.join(''));
    assert.equal(store.shared, false);
    await store.close();
  });
});
