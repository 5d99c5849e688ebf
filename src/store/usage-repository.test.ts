import assert from 'node:assert/strict';
import { test } from 'node:test';
import { testDialects } from '../../test/support/dialects.js';
import type { UsageAggregate } from '../core/index.js';
import { applyUsageFlush, parseSparse, usageRepository } from './usage-repository.js';

const T = Date.UTC(2026, 11, 3, 10, 0, 0);
const agg = (over: Partial<UsageAggregate> = {}): UsageAggregate => ({
  minute: T,
  apiId: 'api-1',
  apiName: 'Pizza',
  apiVersion: '1.0.0',
  applicationId: 'app-1',
  applicationName: 'Shop',
  keyKind: 'api-key',
  keyId: 'jti-1',
  keyType: 'PRODUCTION',
  statusClass: '2xx',
  count: 2,
  latency: [
    [3, 1],
    [9, 1],
  ],
  ...over,
});

for (const d of await testDialects()) {
  test(`usage flushes on ${d.name}: merged per minute row, applied once per flush id, pruned by age`, async () => {
    const store = await d.open();
    try {
      assert.equal(await applyUsageFlush(store, { flushId: 'f1', aggregates: [agg()] }, T), true);
      assert.equal(await applyUsageFlush(store, { flushId: 'f1', aggregates: [agg()] }, T), false);
      const second = [
        agg({ count: 3, latency: [[9, 3]] }),
        agg({ minute: T - 86_400_000, count: 1, latency: [[1, 1]] }),
      ];
      assert.equal(await applyUsageFlush(store, { flushId: 'f2', aggregates: second }, T), true);
      // Concurrent flushes of the same minute (two control planes): neither update is lost.
      await Promise.all(
        ['c1', 'c2', 'c3', 'c4'].map((id) =>
          applyUsageFlush(store, { flushId: id, aggregates: [agg({ count: 1, latency: [[3, 1]] })] }, T),
        ),
      );
      const repo = usageRepository(store);
      const rows = await repo.list({ from: T, to: T + 60_000 });
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.count, 9);
      assert.deepEqual(parseSparse(rows[0]!.latency), [
        [3, 5],
        [9, 4],
      ]);
      assert.equal(
        (await repo.list({ from: T - 86_400_000, to: T + 60_000, applicationId: 'other' })).length,
        0,
      );
      assert.equal(await repo.deleteOlderThan(T - 60_000), 1);
      assert.equal((await repo.list({ from: 0, to: T + 60_000 })).length, 1);
    } finally {
      await store.close();
    }
  });
}
