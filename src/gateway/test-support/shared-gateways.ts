import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pino from 'pino';
import type { Snapshot } from '../../core/index.js';
import { createRedisPermitStore, type RedisPermitStore } from '../background/redis-permit-store.js';
import { LeaseCounter } from '../handlers/throttling/lease-counter.js';
import { startHarness, type Harness } from './gateway-harness.js';

/** The Redis the shared-quota tests use (tests only). */
export const redisTestUrl =
  process.env.PORTICO_TEST_REDIS_URL ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** True when {@link redisTestUrl} answers PING; in CI an unreachable Redis is an error, not a skip. */
export async function redisReachable(): Promise<boolean> {
  const r = new Redis(redisTestUrl, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  r.on('error', () => undefined);
  let up = false;
  try {
    await r.connect();
    up = (await r.ping()) === 'PONG';
  } catch {
    up = false;
  } finally {
    r.disconnect();
  }
  if (!up && process.env.CI) throw new Error(`Redis is required in CI but ${redisTestUrl} is unreachable`);
  return up;
}

/**
 * `count` gateways sharing quotas through Redis leases (ADR 0004) under a fresh namespace, their fake clocks at
 * the start of the next real `windowMs` window (so one window serves the whole test and stays alive in Redis).
 */
export async function startSharedGateways(
  makeSnapshot: (upstreamUrl: string) => Snapshot,
  count: number,
  windowMs: number,
): Promise<{ gateways: Harness[]; close(): Promise<void> }> {
  const namespace = `portico-test-${randomBytes(4).toString('hex')}`;
  const logger = pino({ level: 'silent' });
  const stores: RedisPermitStore[] = [];
  const gateways: Harness[] = [];
  for (let i = 0; i < count; i++) {
    const store = createRedisPermitStore({ url: redisTestUrl, namespace });
    stores.push(store);
    const counter = new LeaseCounter({ source: store, holders: count, logger });
    gateways.push(await startHarness(makeSnapshot, {}, { counter }));
  }
  const end = Date.now() + 5000;
  while (!stores.every((s) => s.up) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  const next = Date.now() - (Date.now() % windowMs) + windowMs + 1;
  for (const g of gateways) g.clock.advance(next - g.clock.now());
  return {
    gateways,
    async close() {
      for (const g of gateways) await g.close();
      for (const s of stores) await s.close();
      const raw = new Redis(redisTestUrl);
      const keys = await raw.keys(`${namespace}:*`);
      if (keys.length) await raw.del(...keys);
      raw.disconnect();
    },
  };
}
