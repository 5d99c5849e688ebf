import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { pruneRevokedTokens } from './index.js';
import { rawDb } from '../../../test/support/raw-db.js';

for (const d of await testDialects()) {
  test(`revocation pruner on ${d.name}: deletes expired opaque access tokens, keeps live and never-expiring ones`, async () => {
    const store = await d.open();
    try {
      const now = Date.UTC(2026, 0, 1);
      const row = (token_id: string, expires_at: number | null, revoked_at: number | null = null) => ({
        token_id,
        token_hash: `hash-${token_id}`,
        client_id: 'ck',
        application_id: 1,
        key_type: 'PRODUCTION',
        username: 'alice',
        aut: 'APPLICATION',
        scope: 'default',
        issued_at: now - 3_600_000,
        expires_at,
        revoked_at,
      });
      await rawDb(store)
        .insertInto('access_tokens')
        .values([
          row('expired', now - 1),
          row('expired-revoked', now - 1, now - 10),
          row('live', now + 60_000),
          row('forever', null),
          row('forever-revoked', null, now - 10),
        ])
        .execute();
      assert.equal(await pruneRevokedTokens(store, now), 2);
      const left = await rawDb(store)
        .selectFrom('access_tokens')
        .select('token_id')
        .orderBy('token_id')
        .execute();
      assert.deepEqual(
        left.map((r) => r.token_id),
        ['forever', 'forever-revoked', 'live'],
      );
    } finally {
      await store.close();
    }
  });
}
