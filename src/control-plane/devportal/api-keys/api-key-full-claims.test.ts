import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { devportalApiKeyRoutes } from './index.js';
import {
  assertWso2Encoding,
  decodeKey,
  generateKey,
  insertApi,
  insertApplication,
  insertSubscription,
  subscriber,
} from './test-support/api-key-fixtures.js';

const ISSUER = 'https://localhost:9443/oauth2/token';

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: full claim set when lightweight generation is off`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes], {
      toml: '[apim.key_manager]\nenable_lightweight_apikey_generation = false\n',
    });
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'FullApp');
      const pizza = await insertApi(h.store, {
        name: 'PizzaShackAPI',
        context: '/pizzashack',
        version: '1.0.0',
        provider: 'admin',
      });
      const other = await insertApi(h.store, {
        name: 'Other',
        context: '/other/',
        version: '2.0.0',
        provider: 'pat',
      });
      const rejected = await insertApi(h.store, { name: 'Rejected', context: '/rejected', version: '1.0.0' });
      const held = await insertApi(h.store, { name: 'Held', context: '/held', version: '1.0.0' });
      const t = Date.now();
      await insertSubscription(h.store, app.id, pizza, 'Gold', 'UNBLOCKED', t);
      await insertSubscription(h.store, app.id, other, 'Unlimited', 'BLOCKED', t + 1);
      await insertSubscription(h.store, app.id, rejected, 'Gold', 'REJECTED', t + 2);
      await insertSubscription(h.store, app.id, held, 'Gold', 'ON_HOLD', t + 3);

      const key = await generateKey(h, alice, app.uuid, { validityPeriod: 60 });
      assertWso2Encoding(h, key);
      const { payload } = decodeKey(key);
      assert.deepEqual(payload, {
        sub: 'alice@carbon.super',
        jti: payload.jti,
        iss: ISSUER,
        iat: payload.iat,
        exp: (payload.iat as number) + 60,
        application: { owner: 'alice', tier: '10PerMin', name: 'FullApp', id: app.id, uuid: app.uuid },
        subscribedAPIs: [
          {
            subscriberTenantDomain: 'carbon.super',
            name: 'PizzaShackAPI',
            context: '/pizzashack/1.0.0',
            publisher: 'admin',
            version: '1.0.0',
            subscriptionTier: 'Gold',
          },
          {
            subscriberTenantDomain: 'carbon.super',
            name: 'Other',
            context: '/other/2.0.0',
            publisher: 'pat',
            version: '2.0.0',
            subscriptionTier: 'Unlimited',
          },
        ],
        tierInfo: {
          Gold: {
            stopOnQuotaReach: true,
            spikeArrestLimit: 0,
            spikeArrestUnit: null,
            tierQuotaType: 'requestCount',
          },
          Unlimited: {
            stopOnQuotaReach: true,
            spikeArrestLimit: 0,
            spikeArrestUnit: null,
            tierQuotaType: 'requestCount',
          },
        },
        keytype: 'PRODUCTION',
        token_type: 'apiKey',
      });

      // No subscriptions: empty claims, still the full shape.
      const lonely = await insertApplication(h.store, 'alice', 'Lonely');
      const p2 = decodeKey(await generateKey(h, alice, lonely.uuid)).payload;
      assert.deepEqual(p2.subscribedAPIs, []);
      assert.deepEqual(p2.tierInfo, {});
    } finally {
      await h.close();
    }
  });
}
