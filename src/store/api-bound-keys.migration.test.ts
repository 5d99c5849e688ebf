import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Migrator, sql, type Migration } from 'kysely';
import { testDialects } from '../../test/support/dialects.js';
import { apiKeysRepository, type ApiKeyRow } from './api-keys-repository.js';
import { applicationsRepository } from './applications-repository.js';
import { migrations } from './migrations/index.js';
import { dbOf, openStore, type Store } from './open-store.js';
import { isUniqueViolation } from './unique-violation.js';

const row = (jti: string, over: Partial<ApiKeyRow> = {}): ApiKeyRow => ({
  jti,
  application_id: null,
  api_id: 'api-1',
  key_type: 'PRODUCTION',
  name: jti,
  kid: '',
  issued_at: 1000,
  expires_at: null,
  permitted_ip: null,
  permitted_referer: null,
  status: 'ACTIVE',
  revoked_at: null,
  last_used_at: null,
  issued_by: 'alice',
  format: 'opaque',
  key_hash: `hash-${jti}`,
  grace_expires_at: null,
  replaced_by: null,
  ...over,
});

/** A row as it was before migration 010 (no `api_id` column yet). */
function withoutApiId(r: ApiKeyRow): Omit<ApiKeyRow, 'api_id'> {
  const { api_id: _ignored, ...rest } = r;
  return rest;
}

async function app(store: Store, name: string): Promise<number> {
  return applicationsRepository(store).create({
    uuid: `uuid-${name}`,
    name,
    owner: 'alice',
    throttlingPolicy: 'Unlimited',
    now: 1,
  });
}

test('migration 010 on SQLite keeps existing keys, their indexes and the application cascade', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-010-')), 'portico.db');
  const store = await openStore({ type: 'sqlite', url: file });
  try {
    const provider = {
      async getMigrations(): Promise<Record<string, Migration>> {
        const out: Record<string, Migration> = {};
        for (const m of migrations) out[m.name] = { up: (k) => m.up(k, 'sqlite') };
        return out;
      },
    };
    const migrator = new Migrator({
      db: dbOf(store),
      provider,
      migrationTableName: 'portico_migration',
      migrationLockTableName: 'portico_migration_lock',
    });
    // The store as it was just before 010 (with 009's leak table, whose rows name keys by jti).
    const before = await migrator.migrateTo('009-api-key-leaks');
    assert.equal(before.error, undefined);
    const appId = await app(store, 'old');
    const db = dbOf(store);
    await db
      .insertInto('api_keys')
      .values(withoutApiId(row('old-key', { application_id: appId })) as never)
      .execute();

    const later = migrations
      .map((m) => m.name)
      .slice(migrations.findIndex((m) => m.name === '010-api-bound-keys'));
    assert.deepEqual(await store.migrate(), later);
    const keys = apiKeysRepository(store);
    const kept = await keys.findByJti('old-key');
    assert.equal(kept?.application_id, appId);
    assert.equal(kept?.api_id, null);
    assert.equal(kept?.key_hash, 'hash-old-key');
    // The unique key-hash index survived the rebuild.
    await assert.rejects(keys.insert(row('dup', { key_hash: 'hash-old-key' })), (e) => isUniqueViolation(e));
    const indexes = await sql<{ name: string }>`
      SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'api_keys'`.execute(db);
    const names = indexes.rows.map((r) => r.name);
    for (const n of ['api_keys_app', 'api_keys_key_hash', 'api_keys_api']) assert.ok(names.includes(n), n);
    // Deleting the application still deletes its keys (the foreign key survived too).
    await db.deleteFrom('applications').where('id', '=', appId).execute();
    assert.equal(await keys.findByJti('old-key'), undefined);
  } finally {
    await store.close();
  }
});

for (const d of await testDialects()) {
  test(`api-bound keys in the store on ${d.name}: no application, associate/dissociate, per-API lists, subscriptionless tier`, async () => {
    const store = await d.open();
    try {
      const keys = apiKeysRepository(store);
      const a = await app(store, 'a');
      const b = await app(store, 'b');
      await keys.insert(row('k1'));
      await keys.insert(row('k2', { issued_by: 'bob', key_hash: 'h2' }));
      await keys.insert(row('app-key', { application_id: a, api_id: null, format: 'jwt', key_hash: null }));
      assert.deepEqual(
        (await keys.listByApi('api-1', 'alice')).map((r) => r.jti),
        ['k1'],
      );
      assert.equal(await keys.countByApi('api-1', 'alice'), 1);
      assert.equal(await keys.setAssociation('k1', a), true);
      assert.equal(await keys.setAssociation('k1', a), false, 'no change');
      assert.equal(await keys.setAssociation('app-key', b), false, 'not an API-bound key');
      assert.deepEqual(
        (await keys.listByApplication(a)).map((r) => r.jti),
        ['app-key'],
        'application keys only',
      );
      assert.equal(await keys.countByApplication(a), 1);
      assert.deepEqual(
        (await keys.listAssociated(a)).map((r) => r.jti),
        ['k1'],
      );
      assert.equal(await keys.setAssociation('k1', null), true);
      assert.equal(await keys.setAssociation('k1', null), false);
      assert.equal((await keys.findByJti('k1'))?.application_id, null);
      await keys.markRevoked('k1', 5);
      assert.equal(await keys.setAssociation('k1', a), false, 'revoked');
      const gateway = await keys.gatewayKeys(10);
      assert.deepEqual(
        gateway.map((r) => [r.jti, r.api_id]),
        [['k2', 'api-1']],
      );
      const tier = await dbOf(store)
        .selectFrom('throttling_policies')
        .selectAll()
        .where('name', '=', 'DefaultSubscriptionless')
        .executeTakeFirst();
      assert.equal(tier?.level, 'subscription');
    } finally {
      await store.close();
    }
  });
}
