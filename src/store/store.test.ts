import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { settingsRepository, usersRepository } from './index.js';

for (const d of await testDialects()) {
  test(`store on ${d.name}: migrations are idempotent and users round-trip`, async () => {
    const store = await d.open();
    try {
      assert.deepEqual(await store.migrate(), [], 'second migrate applies nothing');
      const users = usersRepository(store.db);
      const now = Date.now();
      await users.insert({
        id: 'u1',
        username: 'alice',
        password_hash: 'h',
        roles: '["subscriber"]',
        email: null,
        failed_attempts: 0,
        locked_until: null,
        created_at: now,
        updated_at: now,
      });
      const row = await users.findByUsername('alice');
      assert.equal(row?.created_at, now, 'bigint comes back as a number');
      await assert.rejects(
        users.insert({ ...row!, id: 'u2' }),
        /unique|UNIQUE/,
        'duplicate username refused by the database',
      );
      await users.recordFailure('alice', now + 1000);
      assert.equal((await users.findByUsername('alice'))?.failed_attempts, 1);
      assert.equal(await users.updatePassword('alice', 'h2', now), true);
      assert.equal((await users.findByUsername('alice'))?.failed_attempts, 0);
      const settings = settingsRepository(store.db);
      await settings.set('k', 'v1');
      await settings.set('k', 'v2');
      assert.equal(await settings.get('k'), 'v2');
      await assert.rejects(
        store.transaction(async (trx) => {
          await settingsRepository(trx).set('k', 'v3');
          throw new Error('rollback');
        }),
        /rollback/,
      );
      assert.equal(await settings.get('k'), 'v2', 'a failed transaction writes nothing');
    } finally {
      await store.close();
    }
  });
}

test('the SQLite binding: better-sqlite3 before Node 24, the built-in node:sqlite from Node 24', async () => {
  const { sqliteBindingFor } = await import('./open-sqlite.js');
  assert.equal(sqliteBindingFor('20.20.2'), 'better-sqlite3');
  assert.equal(sqliteBindingFor('22.13.0'), 'better-sqlite3');
  assert.equal(sqliteBindingFor('24.21.0'), 'node:sqlite');
  assert.equal(sqliteBindingFor('26.0.0'), 'node:sqlite');
});
