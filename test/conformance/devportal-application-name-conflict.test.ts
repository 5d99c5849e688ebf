import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applicationsRepository } from '../../src/store/index.js';
import { testDialects } from '../support/dialects.js';
import { dpPost, kmHarness, userAuth } from './oauth2-fixtures.js';

// Every store the harness offers: SQLite (better-sqlite3 on Node 20, node:sqlite from Node 24) and PostgreSQL.
for (const d of await testDialects()) {
  test(`applications: a duplicate name answers 409 APPLICATION_EXISTS, also when requests race (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const dana = await userAuth(h, 'dana', ['subscriber']);
      const body = { name: 'RaceApp', throttlingPolicy: 'Unlimited' };
      const first = await dpPost(h, dana, '/applications', body);
      assert.equal(first.statusCode, 201, first.body);
      const again = await dpPost(h, dana, '/applications', body);
      assert.equal(again.statusCode, 409, again.body);
      assert.equal(again.json().errorCode, 'APPLICATION_EXISTS');

      // Concurrent creates pass the pre-check together; the database's unique constraint decides, and the losers
      // answer 409 rather than 500. Three at once: the sign-in throttle holds concurrent Basic sign-ins beyond its
      // free attempts per user.
      const racing = { name: 'RacedApp', throttlingPolicy: 'Unlimited' };
      const results = await Promise.all(
        Array.from({ length: 3 }, () => dpPost(h, dana, '/applications', racing)),
      );
      const codes = results.map((r) => r.statusCode).sort();
      assert.deepEqual(codes, [201, 409, 409], results.map((r) => r.body).join('\n'));
      for (const r of results.filter((x) => x.statusCode === 409)) {
        assert.equal(r.json().errorCode, 'APPLICATION_EXISTS');
      }
      const owned = await applicationsRepository(h.store).list({
        owner: 'dana',
        sortBy: 'name',
        sortOrder: 'asc',
        limit: 10,
        offset: 0,
      });
      assert.deepEqual(
        owned.rows.map((r) => r.name).filter((n) => n.startsWith('Race')),
        ['RaceApp', 'RacedApp'],
      );
    } finally {
      await h.close();
    }
  });
}
