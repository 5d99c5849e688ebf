import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { createSnapshotService } from '../../snapshot/index.js';
import { startChangeFeed } from '../../sync/index.js';
import { adminAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes } from './index.js';

const jwk = { kty: 'RSA', kid: 'k1', n: 'nn', e: 'AQAB', use: 'sig', alg: 'RS256' };

for (const d of await testDialects()) {
  test(`snapshot on ${d.name}: enabled external managers with their JWKS and claims; disabled and legacy EXCHANGED ones left out`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes()]);
    const resident = (await h.ctx.snapshots.current()).keyManagers[0]!;
    const extras = {
      residentKeyManager: resident,
      externalJwks: (n: string) => (n === 'Okta' ? [jwk] : []),
    };
    const logger = pino({ level: 'silent' });
    const feed = await startChangeFeed({
      store: h.store,
      changeLog: h.changes,
      extras,
      clock: h.clock,
      logger,
      pollIntervalMs: 60_000,
    });
    const snapshots = createSnapshotService({ store: h.store, feed, clock: h.clock, logger, extras });
    try {
      const post = (payload: Record<string, unknown>) =>
        h.app.inject({ method: 'POST', url: KM, headers: adminAuth, payload });
      const okta = await post({
        name: 'Okta',
        type: 'Okta',
        issuer: 'https://dev-1.okta.com/oauth2/default',
        certificates: { type: 'JWKS', value: 'https://dev-1.okta.com/oauth2/default/v1/keys' },
        introspectionEndpoint: 'https://dev-1.okta.com/oauth2/default/v1/introspect',
        additionalProperties: { apiKey: 'ssws', client_id: 'svc', client_secret: 'svc-secret' },
      });
      assert.equal(okta.statusCode, 201, okta.body);
      const off = await post({
        name: 'Off',
        type: 'OIDC',
        enabled: false,
        issuer: 'https://off.test',
        certificates: { type: 'JWKS', value: 'https://off.test/jwks' },
      });
      assert.equal(off.statusCode, 201, off.body);
      const intro = await post({
        name: 'Intro',
        type: 'OIDC',
        issuer: 'https://intro.test',
        tokenValidationMethod: 'introspection',
        introspectionEndpoint: 'https://intro.test/introspect',
      });
      assert.equal(intro.statusCode, 201, intro.body);
      // A manager an older version stored with tokenType EXCHANGED (the Admin API refuses it now): WSO2 keeps such
      // managers off the gateways, their tokens being good only for a token exchange.
      const exchanged = await post({
        name: 'Exchanged',
        type: 'OIDC',
        issuer: 'https://exchanged.test',
        certificates: { type: 'JWKS', value: 'https://exchanged.test/jwks' },
      });
      assert.equal(exchanged.statusCode, 201, exchanged.body);
      const row = await rawDb(h.store)
        .selectFrom('key_managers')
        .select('definition')
        .where('name', '=', 'Exchanged')
        .executeTakeFirstOrThrow();
      await rawDb(h.store)
        .updateTable('key_managers')
        .set({ definition: JSON.stringify({ ...JSON.parse(row.definition), tokenType: 'EXCHANGED' }) })
        .where('name', '=', 'Exchanged')
        .execute();

      const snap = await snapshots.rebuild();
      assert.deepEqual(snap.keyManagers, [
        resident,
        {
          name: 'Intro',
          type: 'OIDC',
          issuer: 'https://intro.test',
          enabled: true,
          consumerKeyClaim: 'client_id',
          scopesClaim: 'scope',
          validation: 'introspection',
          jwks: [],
          jwksUri: null,
          introspectionEndpoint: 'https://intro.test/introspect',
          introspectionAuth: null,
        },
        {
          name: 'Okta',
          type: 'Okta',
          issuer: 'https://dev-1.okta.com/oauth2/default',
          enabled: true,
          consumerKeyClaim: 'cid',
          scopesClaim: 'scp',
          validation: 'jwks',
          jwks: [jwk],
          jwksUri: 'https://dev-1.okta.com/oauth2/default/v1/keys',
          introspectionEndpoint: 'https://dev-1.okta.com/oauth2/default/v1/introspect',
          introspectionAuth: { clientId: 'svc', clientSecret: 'svc-secret' },
        },
      ]);
      assert.ok(!JSON.stringify(snap).includes('ssws'), 'the Okta API token never reaches the gateway');
    } finally {
      snapshots.close();
      feed.close();
      await h.close();
    }
  });
}
