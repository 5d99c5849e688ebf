import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../test/support/dialects.js';
import { proxiedPostgres } from '../../test/support/proxied-postgres.js';
import { isStoreUnavailable, openStore, usersRepository } from './index.js';

const dialects = await testDialects();

test(
  'PostgreSQL going away: the process survives idle-connection errors, queries fail fast as unavailable, and work again when it is back',
  {
    skip: !dialects.some((d) => d.name === 'postgres') && 'PostgreSQL unreachable',
  },
  async () => {
    const db = await proxiedPostgres();
    const proxy = db.proxy;
    const store = await openStore({ type: 'postgres', url: db.url, poolSize: 2 });
    const uncaught: unknown[] = [];
    const onUncaught = (err: unknown) => uncaught.push(err);
    process.on('uncaughtException', onUncaught);
    try {
      await store.migrate();
      const users = usersRepository(store);
      await users.findByUsername('nobody'); // leaves idle pooled connections behind

      await proxy.cut(); // the idle connections die under the pool
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(uncaught, [], 'an idle connection dying must not crash the process');

      const started = Date.now();
      const err = await users.findByUsername('nobody').then(
        () => null,
        (e: unknown) => e,
      );
      assert.ok(err, 'a query while the database is away fails');
      assert.equal(isStoreUnavailable(err), true, `classified as unavailable: ${String(err)}`);
      assert.ok(Date.now() - started < 10_000, 'and fails within the connect timeout');

      await proxy.restore();
      assert.equal(await users.findByUsername('nobody'), undefined);
    } finally {
      process.off('uncaughtException', onUncaught);
      await store.close().catch(() => {});
      await db.close();
    }
  },
);

test('isStoreUnavailable: connection failures only, never constraint or syntax errors', () => {
  const e = (props: Record<string, unknown>, message = 'x') => Object.assign(new Error(message), props);
  for (const unavailable of [
    e({ code: 'ECONNREFUSED' }),
    e({ code: 'ECONNRESET' }),
    e({ code: 'ETIMEDOUT' }),
    e({ code: '57P01' }),
    e({ code: '57P03' }),
    e({ code: '08006' }),
    e({ code: '53300' }),
    e({}, 'Connection terminated unexpectedly'),
    e({}, 'timeout exceeded when trying to connect'),
    new AggregateError([e({ code: 'ECONNREFUSED' })], 'connect'),
    e({ code: 'SQLITE_BUSY' }),
  ])
    assert.equal(isStoreUnavailable(unavailable), true, String(unavailable));
  for (const other of [
    e({ code: '23505' }),
    e({ code: '42601' }),
    e({ code: 'SQLITE_CONSTRAINT_UNIQUE' }),
    e({}, 'Connection terminated by a user-visible typo in a value'),
    'ECONNREFUSED',
    null,
  ])
    assert.equal(isStoreUnavailable(other), false, String(other));
});
