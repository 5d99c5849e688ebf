import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testDialects } from '../../test/support/dialects.js';
import { rawDb } from '../../test/support/raw-db.js';

for (const d of await testDialects()) {
  test(`migrations on ${d.name}: one numbered below an applied one (006 after 008 ran) is still applied`, async () => {
    const store = await d.open();
    try {
      // A store that ran every migration but 006 (as one upgraded from a release that had 008 and not 006).
      const db = rawDb(store);
      await sql`drop table access_tokens`.execute(db);
      await sql`delete from portico_migration where name = '006-opaque-access-tokens'`.execute(db);
      assert.deepEqual(await store.migrate(), ['006-opaque-access-tokens']);
      assert.deepEqual(await db.selectFrom('access_tokens').selectAll().execute(), []);
      assert.deepEqual(await store.migrate(), []);
    } finally {
      await store.close();
    }
  });
}
