import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { testDialects } from '../../../test/support/dialects.js';
import { fakeClock } from '../../core/index.js';
import { pruneRevokedTokens, startRevocationPruner } from './index.js';
import { rawDb } from '../../../test/support/raw-db.js';

const logger = pino({ level: 'silent' });

for (const d of await testDialects()) {
  test(`revocation pruner on ${d.name}: deletes only rows whose token has expired`, async () => {
    const store = await d.open();
    try {
      const now = Date.UTC(2026, 0, 1);
      const row = (jti: string, expires_at: number | null) => ({
        jti,
        token_type: 'API_KEY',
        expires_at,
        revoked_at: now - 10_000,
        consumer_key: null,
      });
      await rawDb(store)
        .insertInto('revoked_tokens')
        .values([
          row('expired', now - 1),
          row('at-now', now),
          row('later', now + 60_000),
          row('forever', null),
        ])
        .execute();
      const jtis = async () =>
        (await rawDb(store).selectFrom('revoked_tokens').select('jti').orderBy('jti').execute()).map(
          (r) => r.jti,
        );

      assert.equal(await pruneRevokedTokens(store, now), 1);
      assert.deepEqual(await jtis(), ['at-now', 'forever', 'later']);

      // The pruner runs at once, then every interval, on the injected clock.
      const clock = fakeClock(now + 1);
      const stop = startRevocationPruner({ store, clock, logger, intervalMs: 10 });
      for (let i = 0; i < 100 && (await jtis()).includes('at-now'); i++) await sleep(10);
      assert.deepEqual(await jtis(), ['forever', 'later']);
      clock.advance(60_000);
      for (let i = 0; i < 100 && (await jtis()).includes('later'); i++) await sleep(10);
      assert.deepEqual(await jtis(), ['forever']);
      await stop();
      clock.advance(10 * 365 * 86_400_000);
      await rawDb(store).insertInto('revoked_tokens').values(row('after-stop', now)).execute();
      await sleep(50);
      assert.deepEqual(await jtis(), ['after-stop', 'forever'], 'stopped: nothing pruned; null never is');
    } finally {
      await store.close();
    }
  });
}
