import pino from 'pino';
import type { Snapshot } from '../../core/index.js';
import { createRedisPermitStore, type RedisPermitStore } from '../background/redis-permit-store.js';
import { LeaseCounter } from '../handlers/throttling/lease-counter.js';
import { startHarness, type Harness } from './gateway-harness.js';
import { redisTestNamespace } from '../../../test/support/test-redis.js';

/**
 * `count` gateways sharing quotas through Redis leases (ADR 0004) under a fresh namespace, their fake clocks at
 * the start of the next real `windowMs` window (so one window serves the whole test and stays alive in Redis).
 */
export async function startSharedGateways(
  makeSnapshot: (upstreamUrl: string) => Snapshot,
  count: number,
  windowMs: number,
): Promise<{ gateways: Harness[]; close(): Promise<void> }> {
  const redis = redisTestNamespace();
  const { url, namespace } = redis;
  redis.open();
  const logger = pino({ level: 'silent' });
  const stores: RedisPermitStore[] = [];
  const gateways: Harness[] = [];
  for (let i = 0; i < count; i++) {
    const store = createRedisPermitStore({ url, namespace });
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
      await redis.cleanUp();
    },
  };
}
