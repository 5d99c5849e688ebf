import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { fakeClock } from '../../../core/index.js';
import { createApiKeyUsageRecorder, devportalApiKeyRoutes } from './index.js';
import {
  DEV,
  decodeKey,
  generateKey,
  insertApplication,
  subscriber,
} from './test-support/api-key-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';

const logger = pino({ level: 'silent' });

for (const d of await testDialects()) {
  test(`api key usage recorder on ${d.name}: batches last_used_at off the request path`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    const clock = fakeClock();
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'A');
      const j1 = decodeKey(await generateKey(h, alice, app.uuid)).payload.jti as string;
      const j2 = decodeKey(await generateKey(h, alice, app.uuid)).payload.jti as string;
      const lastUsed = async (jti: string) =>
        (
          await rawDb(h.store)
            .selectFrom('api_keys')
            .select('last_used_at')
            .where('jti', '=', jti)
            .executeTakeFirstOrThrow()
        ).last_used_at;

      const usage = createApiKeyUsageRecorder({
        store: h.store,
        clock,
        logger,
        flushIntervalMs: 60_000,
        maxBuffered: 1,
      });
      usage.record(j1, 1_000);
      usage.record(j1, 3_000);
      usage.record(j1, 2_000);
      usage.record(j2, 5_000); // buffer full (1 distinct jti): dropped
      assert.equal(await lastUsed(j1), null, 'nothing written before a flush');
      await usage.flush();
      assert.equal(await lastUsed(j1), 3_000, 'the latest time wins');
      assert.equal(await lastUsed(j2), null, 'dropped when the buffer was full');

      // Time never moves backwards; unknown jtis (keys issued elsewhere) are harmless.
      usage.record(j1, 500);
      await usage.flush();
      assert.equal(await lastUsed(j1), 3_000);
      usage.record('not-a-known-jti', 9_000);
      await usage.flush();
      await usage.close();
      usage.record(j2, 7_000);
      await usage.flush();
      assert.equal(await lastUsed(j2), null, 'nothing is recorded after close');

      // The timer flushes by itself; close flushes what is left.
      const timed = createApiKeyUsageRecorder({ store: h.store, clock, logger, flushIntervalMs: 20 });
      timed.record(j2, 8_000);
      for (let i = 0; i < 100 && (await lastUsed(j2)) === null; i++) await sleep(20);
      assert.equal(await lastUsed(j2), 8_000);
      timed.record(j1, 10_000);
      await timed.close();
      assert.equal(await lastUsed(j1), 10_000);

      const listed = await h.app.inject({
        method: 'GET',
        url: `${DEV}/applications/${app.uuid}/api-keys`,
        headers: alice,
      });
      const times = new Map(
        listed
          .json<{ list: { keyId: string; lastUsedTime: number | null }[] }>()
          .list.map((i) => [i.keyId, i.lastUsedTime]),
      );
      assert.equal(times.get(j1), 10_000);
      assert.equal(times.get(j2), 8_000);
    } finally {
      await h.close();
    }
  });
}
