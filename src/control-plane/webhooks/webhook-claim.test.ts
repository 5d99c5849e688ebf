import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { systemClock } from '../../core/index.js';
import { claimDueWebhookDeliveries, webhookEndpointsRepository } from '../../store/index.js';
import { testDialects } from '../../../test/support/dialects.js';
import { startWebhookDispatcher } from './webhook-dispatcher.js';
import { createWebhookOutbox } from './webhook-outbox.js';
import { createWebhookSender } from './webhook-sender.js';
import { startWebhookReceiver } from './test-support/webhook-receiver.js';

const logger = pino({ level: 'silent' });
const policy = { allowHttpLoopback: true, allowInternalAddresses: false };

for (const d of await testDialects()) {
  test(`two control planes claiming at once get disjoint deliveries; each event is sent once (${d.name})`, async () => {
    const store = await d.open();
    const receiver = await startWebhookReceiver();
    const outbox = createWebhookOutbox(systemClock);
    const now = systemClock.now();
    const closers: (() => Promise<unknown>)[] = [];
    try {
      await webhookEndpointsRepository(store).insert({
        id: 'ep-1',
        url: receiver.url,
        description: '',
        event_types: '[]',
        enabled: 1,
        secret: 'whsec_test',
        secret_hint: 'test',
        created_by: 'admin',
        created_at: now,
        updated_at: now,
      });
      for (let i = 0; i < 30; i++)
        await store.transaction((trx) =>
          outbox.enqueue(
            { id: `evt-${i}`, type: 'apikey.revoked', occurredAt: new Date(now).toISOString(), data: { i } },
            trx,
          ),
        );
      const claimA = claimDueWebhookDeliveries(store, {
        now: now + 10_000,
        leaseMs: 60_000,
        owner: 'a',
        limit: 20,
      });
      const claimB = claimDueWebhookDeliveries(store, {
        now: now + 10_000,
        leaseMs: 60_000,
        owner: 'b',
        limit: 20,
      });
      const [a, b] = await Promise.all([claimA, claimB]);
      const ids = [...a, ...b].map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'no delivery claimed twice');
      assert.equal(ids.length, 30);
      assert.ok(a.every((r) => r.lease_owner === 'a') && b.every((r) => r.lease_owner === 'b'));
      assert.deepEqual(
        await claimDueWebhookDeliveries(store, { now: now + 10_001, leaseMs: 60_000, owner: 'c', limit: 50 }),
        [],
        'leased rows are not claimable until the lease ends',
      );

      // Two dispatchers after the leases ran out: the receiver gets each event once.
      const later = { now: () => systemClock.now() + 120_000 };
      const dispatchers = [1, 2].map(() =>
        startWebhookDispatcher({
          store,
          clock: later,
          logger,
          outbox,
          sender: createWebhookSender({ policy, timeoutMs: 5_000, clock: later }),
          retry: { maxAttempts: 3, baseDelayMs: 1_000, maxDelayMs: 1_000 },
          pollIntervalMs: 60_000,
          leaseMs: 35_000,
          userAgent: 'test',
          batchSize: 7,
        }),
      );
      closers.push(...dispatchers.map((x) => () => x.close()));
      await Promise.all(dispatchers.map((x) => x.pump()));
      await receiver.nth(30);
      const events = receiver.received.map((r) => r.headers['portico-event-id']);
      assert.equal(events.length, 30);
      assert.equal(new Set(events).size, 30, 'each event once');
    } finally {
      for (const c of closers) await c();
      await receiver.close();
      await store.close();
    }
  });
}
