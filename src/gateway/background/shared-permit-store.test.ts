import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { it } from 'node:test';
import { Redis } from 'ioredis';
import pino from 'pino';
import { createSharedPermitStore } from './shared-permit-store.js';

const hasRedisServer = spawnSync('redis-server', ['--version']).status === 0;
if (!hasRedisServer && process.env.CI) throw new Error('redis-server is required in CI');

const W = 60_000;
const until = async (f: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (!f() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  assert.ok(f(), 'condition not reached in time');
};
const redisServer = (port: number): ChildProcess =>
  spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });

it(
  'Redis lost mid-window: the share counts what was taken from Redis; Redis back: what was admitted alone is charged',
  { timeout: 45_000, skip: !hasRedisServer && 'redis-server is not installed' },
  async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    let server = redisServer(port);
    const raw = new Redis(port, '127.0.0.1', { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    raw.on('error', () => undefined);
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(l) });
    // Redis is up before the store connects, so the first state it logs is 'reachable'.
    const ready = await until(() => raw.status === 'ready', 10_000).then(
      () => null,
      (err: unknown) => err,
    );
    if (ready !== null) {
      raw.disconnect();
      server.kill('SIGKILL');
      throw ready;
    }
    const store = createSharedPermitStore({
      redisUrl: `redis://127.0.0.1:${port}`,
      namespace: 't',
      expectedGateways: 2,
      logger,
    });
    try {
      await until(() => store.shared, 10_000);
      // The whole test inside one window.
      if (W - (Date.now() % W) < 15_000) await new Promise((r) => setTimeout(r, W - (Date.now() % W) + 10));
      const windowStart = Date.now() - (Date.now() % W);
      const req = (want: number, debt: number) => ({
        key: 'k',
        limit: 100,
        windowMs: W,
        windowStart,
        want,
        debt,
        holders: 1,
      });
      assert.deepEqual(await store.acquire(req(0, 40)), { granted: 0, remaining: 60 });

      server.kill('SIGKILL');
      await once(server, 'exit');
      await until(() => !store.shared, 5000);
      // Share 100 / 2 = 50, of which this gateway already took 40 from Redis.
      assert.deepEqual(await store.acquire(req(0, 5)), { granted: 0, remaining: 5 });
      let granted = 0;
      for (let i = 0; i < 20; i++) granted += (await store.acquire(req(3, 0))).granted;
      assert.equal(granted, 5);

      server = redisServer(port); // empty: the counter of the window is gone with the old server
      await until(() => store.shared, 10_000);
      const back = await store.acquire(req(1, 0));
      assert.deepEqual(back, { granted: 1, remaining: 89 }, 'the 10 admitted alone are charged');
      assert.equal(await raw.get(`t:quota:k:${windowStart}`), '11');
      const states = lines.map((l) => (JSON.parse(l) as { msg: string }).msg);
      assert.deepEqual(states, [
        'throttling: Redis reachable, quotas shared by every gateway',
        'throttling: Redis unreachable, this gateway enforces 1/2 of each quota',
        'throttling: Redis reachable, quotas shared by every gateway',
      ]);
    } finally {
      raw.disconnect();
      await store.close();
      server.kill('SIGKILL');
    }
  },
);
