import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PorticoEvent } from '../core/index.js';
import { createRedisBus } from './redis-bus.js';
import { TEST_REDIS_URL, testRedisUp } from '../../test/support/test-redis.js';

const url = TEST_REDIS_URL;
const up = await testRedisUp(url);

test(
  'redis bus: events reach other processes once, the publisher gets its own locally',
  { skip: !up && 'no Redis' },
  async () => {
    const channel = `portico:test:${Date.now()}:${Math.random()}`;
    const a = createRedisBus({ url, namespace: channel });
    const b = createRedisBus({ url, namespace: channel });
    const other = createRedisBus({ url, namespace: `${channel}-other` });
    try {
      assert.ok(await a.whenConnected(5000));
      assert.ok(await b.whenConnected(5000));
      assert.ok(await other.whenConnected(5000));
      const gotOther: PorticoEvent[] = [];
      other.subscribe((e) => gotOther.push(e));
      const gotA: PorticoEvent[] = [];
      const gotB: PorticoEvent[] = [];
      a.subscribe((e) => gotA.push(e));
      b.subscribe((e) => gotB.push(e));
      await a.publish({ type: 'subscription.changed', at: 1, payload: { id: 's1' } });
      const deadline = Date.now() + 2000;
      while (gotB.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
      await new Promise((r) => setTimeout(r, 100));
      assert.equal(gotA.length, 1, 'publisher delivers locally once (its own Redis echo is ignored)');
      assert.equal(gotB.length, 1);
      assert.deepEqual(gotB[0]?.payload, { id: 's1' });
      assert.equal(gotOther.length, 0, 'another namespace (deployment) on the same Redis hears nothing');
    } finally {
      await a.close();
      await b.close();
      await other.close();
    }
  },
);

test('redis bus: without Redis it is created at once and publish fails at once (nothing waits)', async () => {
  const bus = createRedisBus({ url: 'redis://127.0.0.1:1', namespace: 'portico:test:down' });
  try {
    const got: PorticoEvent[] = [];
    bus.subscribe((e) => got.push(e));
    const started = Date.now();
    await assert.rejects(bus.publish({ type: 'changes', at: 1, payload: {} }), /not connected/);
    assert.ok(Date.now() - started < 100, 'no retries inside publish');
    assert.equal(got.length, 1, 'local listeners still get it');
    assert.equal(bus.connected(), false);
    assert.equal(await bus.whenConnected(200), false);
  } finally {
    await bus.close();
  }
});
