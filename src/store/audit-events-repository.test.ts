import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { rawDb } from '../../test/support/raw-db.js';
import { afterCommit, auditEventsRepository, type AuditEventRow } from './index.js';

const row = (n: number, over: Partial<AuditEventRow> = {}): AuditEventRow => ({
  id: `e${String(n).padStart(3, '0')}`,
  occurred_at: 1_000_000 + n,
  actor: n % 2 ? 'alice' : 'bob',
  client_ip: '127.0.0.1',
  action: n % 3 ? 'apikey.issued' : 'apikey.revoked',
  target_type: 'api-key',
  target_id: `k${n}`,
  target_name: null,
  outcome: n === 7 ? 'failure' : 'success',
  reason: n === 7 ? 'wrong-password' : null,
  details: JSON.stringify({ n }),
  ...over,
});

for (const d of await testDialects()) {
  test(`audit events on ${d.name}: insert, newest first, filters, paging and count`, async () => {
    const store = await d.open();
    try {
      const repo = auditEventsRepository(store);
      for (let n = 1; n <= 12; n++) await repo.insert(row(n));
      const all = await repo.list({}, { limit: 100, offset: 0 });
      assert.deepEqual(
        all.map((r) => r.id),
        Array.from({ length: 12 }, (_, i) => `e${String(12 - i).padStart(3, '0')}`),
      );
      assert.equal(all[0]?.occurred_at, 1_000_012, 'bigint comes back as a number');
      const page2 = await repo.list({}, { limit: 5, offset: 5 });
      assert.deepEqual(
        page2.map((r) => r.id),
        ['e007', 'e006', 'e005', 'e004', 'e003'],
      );
      assert.equal(await repo.count({}), 12);
      assert.equal(await repo.count({ actor: 'alice' }), 6);
      assert.equal(await repo.count({ actions: ['apikey.revoked'] }), 4);
      assert.equal(await repo.count({ actions: ['apikey.revoked', 'apikey.issued'] }), 12);
      assert.equal(await repo.count({ actions: [] }), 0, 'an empty action list matches nothing');
      assert.equal(await repo.count({ outcome: 'failure' }), 1);
      assert.equal(await repo.count({ targetType: 'api-key', targetId: 'k3' }), 1);
      assert.equal(await repo.count({ from: 1_000_003, to: 1_000_006 }), 3, 'from inclusive, to exclusive');
      const filtered = await repo.list(
        { actor: 'bob', actions: ['apikey.revoked'] },
        { limit: 10, offset: 0 },
      );
      assert.deepEqual(
        filtered.map((r) => r.id),
        ['e012', 'e006'],
      );
    } finally {
      await store.close();
    }
  });

  test(`audit events on ${d.name}: the table is append-only (UPDATE refused); retention deletes old rows`, async () => {
    const store = await d.open();
    try {
      const repo = auditEventsRepository(store);
      await repo.insert(row(1));
      await repo.insert(row(2));
      await assert.rejects(
        rawDb(store).updateTable('audit_events').set({ actor: 'mallory' }).where('id', '=', 'e001').execute(),
        /append-only/,
      );
      assert.equal(
        (await repo.list({}, { limit: 10, offset: 0 })).find((r) => r.id === 'e001')?.actor,
        'alice',
      );
      assert.equal(await repo.deleteOlderThan(1_000_002), 1);
      assert.deepEqual(
        (await repo.list({}, { limit: 10, offset: 0 })).map((r) => r.id),
        ['e002'],
      );
    } finally {
      await store.close();
    }
  });

  test(`audit events on ${d.name}: afterCommit runs after a commit, never after a rollback`, async () => {
    const store = await d.open();
    try {
      const ran: string[] = [];
      await store.transaction(async (trx) => {
        await auditEventsRepository(trx).insert(row(1));
        afterCommit(trx, () => ran.push('committed'));
        assert.deepEqual(ran, [], 'not before the commit');
      });
      assert.deepEqual(ran, ['committed']);
      await assert.rejects(
        store.transaction(async (trx) => {
          await auditEventsRepository(trx).insert(row(2));
          afterCommit(trx, () => ran.push('rolled back'));
          throw new Error('the change failed');
        }),
        /the change failed/,
      );
      assert.deepEqual(ran, ['committed'], 'a rolled-back transaction runs no hook');
      assert.deepEqual(
        (await auditEventsRepository(store).list({}, { limit: 10, offset: 0 })).map((r) => r.id),
        ['e001'],
        'and its row is gone with it',
      );
      afterCommit(store, () => ran.push('no transaction'));
      assert.deepEqual(ran, ['committed', 'no transaction'], 'outside a transaction: at once');
    } finally {
      await store.close();
    }
  });
}
