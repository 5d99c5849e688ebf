import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { isUniqueViolation, settingsRepository, usersRepository } from './index.js';
import { sqliteBindingFor } from './open-sqlite.js';

for (const d of await testDialects()) {
  test(`store on ${d.name}: migrations are idempotent and users round-trip`, async () => {
    const store = await d.open();
    try {
      assert.deepEqual(await store.migrate(), [], 'second migrate applies nothing');
      const users = usersRepository(store);
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
      const settings = settingsRepository(store);
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

  test(`store on ${d.name}: a duplicate insert is a unique violation, other failures are not`, async () => {
    const store = await d.open();
    try {
      const users = usersRepository(store);
      const row = {
        id: 'u1',
        username: 'alice',
        password_hash: 'h',
        roles: '[]',
        email: null,
        failed_attempts: 0,
        locked_until: null,
        created_at: 1,
        updated_at: 1,
      };
      await users.insert(row);
      const binding = d.name === 'sqlite' ? sqliteBindingFor() : 'pg';
      const uniqueColumn = await users.insert({ ...row, id: 'u2' }).catch((e: unknown) => e);
      assert.ok(isUniqueViolation(uniqueColumn), `duplicate username on ${binding}: ${String(uniqueColumn)}`);
      const primaryKey = await users.insert({ ...row, username: 'bob' }).catch((e: unknown) => e);
      assert.ok(isUniqueViolation(primaryKey), `duplicate primary key on ${binding}: ${String(primaryKey)}`);
      const notNull = await users
        .insert({ ...row, id: 'u3', username: null as unknown as string })
        .catch((e) => e);
      assert.ok(notNull instanceof Error, 'a NOT NULL failure is an error');
      assert.equal(
        isUniqueViolation(notNull),
        false,
        `a NOT NULL failure is not a unique violation on ${binding}`,
      );
    } finally {
      await store.close();
    }
  });
}

test("isUniqueViolation reads each binding's error shape", () => {
  // The shapes as the bindings throw them; the dialect loop above exercises the binding of this Node version.
  assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' }), true, 'better-sqlite3 unique');
  assert.equal(
    isUniqueViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' }),
    true,
    'better-sqlite3 primary key',
  );
  assert.equal(isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 2067 }), true, 'node:sqlite unique');
  assert.equal(
    isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 1555 }),
    true,
    'node:sqlite primary key',
  );
  assert.equal(isUniqueViolation({ code: 'ERR_SQLITE_ERROR', errcode: 1299 }), false, 'node:sqlite NOT NULL');
  assert.equal(isUniqueViolation({ code: 'SQLITE_CONSTRAINT_NOTNULL' }), false, 'better-sqlite3 NOT NULL');
  assert.equal(isUniqueViolation({ code: '23505' }), true, 'pg unique_violation');
  assert.equal(isUniqueViolation({ code: '23502' }), false, 'pg not_null_violation');
  assert.equal(isUniqueViolation(null), false);
  assert.equal(isUniqueViolation('23505'), false);
});

test('the SQLite binding: better-sqlite3 before Node 24, the built-in node:sqlite from Node 24', async () => {
  const { sqliteBindingFor } = await import('./open-sqlite.js');
  assert.equal(sqliteBindingFor('20.20.2'), 'better-sqlite3');
  assert.equal(sqliteBindingFor('22.13.0'), 'better-sqlite3');
  assert.equal(sqliteBindingFor('24.21.0'), 'node:sqlite');
  assert.equal(sqliteBindingFor('26.0.0'), 'node:sqlite');
});
