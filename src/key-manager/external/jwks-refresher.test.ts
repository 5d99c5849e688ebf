import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { testDialects } from '../../../test/support/dialects.js';
import { fakeClock, type PorticoEvent } from '../../core/index.js';
import { createInProcessBus } from '../../events/index.js';
import type { Store } from '../../store/index.js';
import {
  createJwksRefresher,
  discoverKeyManager,
  JWKS_REFRESH_SOURCE,
  type KeyManagerDefinition,
} from './index.js';
import { startOidcProvider, type OidcProviderFixture } from './test-support/oidc-provider-fixture.js';
import { rawDb } from '../../../test/support/raw-db.js';

async function insertManager(
  store: Store,
  p: OidcProviderFixture,
  name: string,
  enabled = true,
): Promise<KeyManagerDefinition> {
  const def: KeyManagerDefinition = {
    ...(await discoverKeyManager(p.wellKnown, 'Keycloak')),
    id: `id-${name}`,
    name,
    displayName: name,
    enabled,
  };
  await rawDb(store)
    .insertInto('key_managers')
    .values({
      uuid: def.id,
      name,
      type: def.type,
      enabled: enabled ? 1 : 0,
      definition: JSON.stringify(def),
      created_at: 1,
      updated_at: 1,
    })
    .execute();
  return def;
}

for (const d of await testDialects()) {
  test(`JWKS refresher on ${d.name}: start, rotation, cooldown, single-flight, provider down, removal`, async () => {
    const store = await d.open();
    const p = await startOidcProvider('keycloak');
    const bus = createInProcessBus();
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const events: PorticoEvent[] = [];
    bus.subscribe((e) => events.push(e));
    const refresher = createJwksRefresher({
      store,
      bus,
      clock,
      logger: pino({ level: 'silent' }),
      cooldownMs: 30_000,
    });
    try {
      await insertManager(store, p, 'kc');
      await insertManager(store, p, 'off', false);
      await refresher.start();
      assert.deepEqual(
        refresher.keys('kc').map((k) => k.kid),
        p.kids(),
      );
      assert.equal(refresher.keys('kc')[0]?.kty, 'RSA');
      assert.equal(refresher.health('off'), null, 'disabled managers are not fetched');
      assert.deepEqual(refresher.health('kc'), {
        name: 'kc',
        jwksUri: p.jwksUri,
        ok: true,
        lastAttemptAt: clock.now(),
        lastSuccessAt: clock.now(),
        error: null,
        consecutiveFailures: 0,
        keyIds: p.kids(),
      });
      assert.deepEqual(
        events.map((e) => [e.type, e.payload]),
        [['keymanager.changed', { name: 'kc', action: 'keys-refreshed', source: JWKS_REFRESH_SOURCE }]],
      );
      const fetchesAfterStart = p.jwksRequests();

      // Within the cooldown an on-demand refresh does not touch the network.
      p.rotateKeys();
      await refresher.refresh('kc');
      assert.equal(p.jwksRequests(), fetchesAfterStart);
      assert.equal(refresher.keys('kc').length, 1);

      // After it, concurrent refreshes share one fetch and the new key arrives with one event.
      clock.advance(30_001);
      const [a, b] = [refresher.refresh('kc'), refresher.refresh('kc')];
      assert.equal(a, b, 'single-flight');
      await a;
      assert.equal(p.jwksRequests(), fetchesAfterStart + 1);
      assert.deepEqual(
        refresher.keys('kc').map((k) => k.kid),
        p.kids(),
      );
      assert.equal(p.kids().length, 2);
      assert.equal(events.length, 2);

      // An unchanged JWKS publishes nothing.
      clock.advance(30_001);
      await refresher.refresh('kc');
      assert.equal(events.length, 2);

      // Provider down: keys kept, failure reported.
      p.setDown(true);
      clock.advance(30_001);
      await refresher.refresh('kc');
      const h = refresher.health('kc');
      assert.equal(h?.ok, false);
      assert.equal(h?.consecutiveFailures, 1);
      assert.match(h?.error ?? '', /^JWKS fetch: 127\.0\.0\.1:\d+ is unreachable$/);
      assert.deepEqual(h?.keyIds, p.kids());
      assert.equal(events.length, 2);
      p.setDown(false);

      // Unknown managers are ignored; a removed manager is dropped on the next keymanager.changed event.
      await refresher.refresh('nope');
      await rawDb(store).deleteFrom('key_managers').where('name', '=', 'kc').execute();
      await bus.publish({
        type: 'keymanager.changed',
        at: clock.now(),
        payload: { name: 'kc', action: 'deleted' },
      });
      await refresher.settled();
      assert.equal(refresher.health('kc'), null);
      assert.deepEqual(refresher.keys('kc'), []);

      // A new manager announced by the admin API is fetched without being asked.
      await insertManager(store, p, 'kc2');
      await bus.publish({
        type: 'keymanager.changed',
        at: clock.now(),
        payload: { name: 'kc2', action: 'created' },
      });
      await refresher.settled();
      assert.deepEqual(
        refresher.keys('kc2').map((k) => k.kid),
        p.kids(),
      );
    } finally {
      refresher.close();
      await p.close();
      await store.close();
    }
  });
}
