import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { Redis } from 'ioredis';
import { createRedisSyncedCounter } from './redis-synced-counter.js';

const url = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = pino({ level: 'silent' });

async function redisUp(): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}
const up = await redisUp();
if (!up && process.env.CI) throw new Error(`Redis is required in CI but ${url} is unreachable`);

const ready = (c: { sync(): Promise<void> }) => new Promise((r) => setTimeout(r, 150)).then(() => c.sync());

test(
  'two gateways share one quota through Redis; requests never wait on Redis',
  { skip: !up && 'no Redis' },
  async () => {
    const prefix = `portico:test:rl:${Date.now()}:${Math.random()}:`;
    const a = createRedisSyncedCounter({ url, logger, prefix, syncIntervalMs: 20 });
    const b = createRedisSyncedCounter({ url, logger, prefix, syncIntervalMs: 20 });
    try {
      await ready(a);
      await ready(b);
      const now = Date.now();
      const minute = 60_000;
      for (let i = 0; i < 6; i++) assert.equal(a.hit('sub:1:api', 10, minute, now), 0);
      await a.sync();
      b.hit('sub:1:api', 10, minute, now); // b learns the shared total at its next sync
      await b.sync();
      const results = [];
      for (let i = 0; i < 5; i++) results.push(b.hit('sub:1:api', 10, minute, now));
      // 6 on a + 1 + 3 on b = 10 allowed; the 11th is throttled with the time to the window's end.
      assert.deepEqual(results.slice(0, 3), [0, 0, 0]);
      assert.ok(results[3]! > 0 && results[3]! <= minute, `throttled, retry after ${results[3]} ms`);
      await b.sync();
      await a.sync();
      assert.ok(a.hit('sub:1:api', 10, minute, now) > 0, "a sees b's hits after a sync");
      assert.equal(a.hit('other-key', 10, minute, now), 0, 'keys are independent');
    } finally {
      await a.close();
      await b.close();
    }
  },
);

test('without Redis each gateway counts alone', async () => {
  const c = createRedisSyncedCounter({ url: 'redis://127.0.0.1:1', logger, syncIntervalMs: 20 });
  try {
    const now = Date.now();
    assert.equal(c.hit('k', 2, 60_000, now), 0);
    assert.equal(c.hit('k', 2, 60_000, now), 0);
    assert.ok(c.hit('k', 2, 60_000, now) > 0);
  } finally {
    await c.close();
  }
});
