import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { changeKeys, type fakeClock } from '../../core/index.js';
import { changesRepository } from '../../store/index.js';
import { adminAuth } from '../publisher/test-support/publisher-fixtures.js';
import { internalSyncRoutes } from '../internal/index.js';

for (const d of await testDialects()) {
  test(`change log on ${d.name}: writes commit their changes, the feed resolves them, a pruned log answers 410`, async () => {
    const h = await createHarness(await d.open(), [internalSyncRoutes], { fakeTime: true });
    const clock = h.clock as ReturnType<typeof fakeClock>;
    try {
      const relayed = h.recordDeltas();
      const changes = (after: number) =>
        h.app.inject({ method: 'GET', url: `/internal/data/v1/changes?after=${after}`, headers: adminAuth });
      assert.deepEqual((await changes(0)).json(), { from: 1, to: 0, deltas: [], head: 0 });

      // A failed write leaves nothing in the log; a committed one is resolved to the committed state.
      await assert.rejects(
        h.changes.write(async (_trx, record) => {
          record(changeKeys.revocation('never-committed'));
          throw new Error('rolled back');
        }),
      );
      const { versions } = await h.changes.writeVersioned(async (trx, record) => {
        await trx
          .insertInto('revoked_tokens')
          .values({ jti: 'j1', token_type: 'API_KEY', expires_at: null, revoked_at: 1, consumer_key: null })
          .execute();
        record(changeKeys.revocation('j1'));
        record(changeKeys.revocation('j1')); // recorded twice in one write: one change
      });
      assert.equal(versions.length, 1);
      const page = (await changes(0)).json();
      assert.deepEqual(page.deltas, [{ version: versions[0], kind: 'revocation', key: 'j1', exp: null }]);
      assert.equal(page.head, versions[0]);

      // Concurrent writers: every committed version appears once, in order, whatever the commit interleaving.
      const many = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          h.changes.writeVersioned(async (_trx, record) => record(changeKeys.application(1000 + i))),
        ),
      );
      const written = many.flatMap((m) => m.versions).sort((a, b) => a - b);
      const seen: number[] = [];
      for (let after = versions[0]!; ;) {
        const p = (
          await h.app.inject({
            method: 'GET',
            url: `/internal/data/v1/changes?after=${after}&limit=7`,
            headers: adminAuth,
          })
        ).json();
        if (p.deltas.length === 0) break;
        seen.push(...p.deltas.map((x: { version: number }) => x.version));
        after = p.to;
      }
      assert.deepEqual(seen, written);
      assert.deepEqual(
        (await relayed.all()).map((x) => x.version),
        [versions[0], ...written],
        'the feed relays every committed change once, in version order',
      );

      // Retention: changes older than the cutoff go (the newest stays); a gateway behind them must resync.
      clock.advance(2 * 86_400_000);
      await h.changes.write(async (_trx, record) => record(changeKeys.trustStore()));
      const removed = await changesRepository(h.store, h.store.dialect).prune(clock.now() - 86_400_000);
      assert.equal(removed, 1 + written.length);
      const gone = await changes(0);
      assert.equal(gone.statusCode, 410);
      assert.equal(gone.json().gone, true);
      const ahead = await changes(gone.json().head + 5);
      assert.equal(ahead.statusCode, 410, 'a gateway ahead of the log (a restored backup) must resync too');
      assert.equal((await changes(gone.json().head - 1)).statusCode, 200);

      // Input is checked; the route is admin only.
      assert.equal((await changes(-1)).statusCode, 400);
      assert.equal(
        (
          await h.app.inject({
            method: 'GET',
            url: '/internal/data/v1/changes?after=0&after=1',
            headers: adminAuth,
          })
        ).statusCode,
        400,
      );
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/internal/data/v1/changes?after=0' })).statusCode,
        401,
      );
    } finally {
      await h.close();
    }
  });
}
