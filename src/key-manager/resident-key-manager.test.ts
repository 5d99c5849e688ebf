import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { parseConfig } from '../config/index.js';
import { fakeClock } from '../core/index.js';
import { testDialects } from '../../test/support/dialects.js';
import { selfSignedKey } from '../../test/support/self-signed.js';
import { hashClientSecret, verifyClientSecret } from './client-secret.js';
import { createResidentKeyManager, OAuthError, type ResidentKeyManager } from './index.js';

const key = selfSignedKey('gateway_certificate_alias');

test('client secrets: SHA-256 with constant-time compare, unknown formats refused', () => {
  const h = hashClientSecret('s3cret');
  assert.match(h, /^sha256:[A-Za-z0-9_-]{43}$/);
  assert.equal(verifyClientSecret('s3cret', h), true);
  assert.equal(verifyClientSecret('s3creT', h), false);
  assert.equal(verifyClientSecret('s3cret', 's3cret'), false);
  assert.equal(verifyClientSecret('', 'sha256:'), false);
});

for (const d of await testDialects()) {
  test(`resident key manager: expiry, refresh expiry and concurrent refresh (${d.name})`, async () => {
    const store = await d.open();
    const clock = fakeClock(Date.UTC(2026, 0, 1));
    const km: ResidentKeyManager = createResidentKeyManager({
      store,
      clock,
      config: parseConfig('[oauth.token_validation]\nrefresh_token_validity = 60\n', 'deployment.toml', {}),
      signingKey: key,
      issuer: 'https://localhost:9443/oauth2/token',
      logger: pino({ level: 'silent' }),
      verifyUser: async (u, p) =>
        u === 'ann' && p === 'pw' ? { username: 'ann', roles: ['subscriber'] } : null,
      userRoles: async (u) => (u === 'ann' ? ['subscriber'] : null),
      scopeAllowed: (s, roles) => s === 'apim:subscribe' && roles.includes('subscriber'),
    });
    try {
      const { client } = await km.createClient({
        name: 'c',
        owner: 'ann',
        grantTypes: ['client_credentials', 'password', 'refresh_token'],
      });

      const hour = await km.applicationToken(client, [], 3600);
      const forever = await km.applicationToken(client, ['apim:subscribe'], -5);
      assert.equal(forever.scope, 'apim:subscribe default');
      assert.deepEqual(await km.verifyAccessToken(hour.access_token), {
        subject: 'ann',
        scopes: ['default'],
        clientId: client.clientId,
      });
      // exp + 300 s skew (oauth.timestamp_skew) is the last valid second.
      clock.advance(3600_000 + 300_000);
      assert.ok(await km.verifyAccessToken(hour.access_token));
      clock.advance(1000);
      assert.equal(await km.verifyAccessToken(hour.access_token), null);
      clock.advance(10 * 365 * 86_400_000);
      assert.ok(await km.verifyAccessToken(forever.access_token), 'a negative validity never expires');

      // Refresh tokens expire after refresh_token_validity.
      const pw = await km.token({ grantType: 'password', client, username: 'ann', password: 'pw' });
      assert.ok(pw.refresh_token);
      clock.advance(61_000);
      await assert.rejects(
        km.token({ grantType: 'refresh_token', client, refreshToken: pw.refresh_token }),
        (e) => {
          assert.ok(e instanceof OAuthError);
          assert.equal(e.error, 'invalid_grant');
          return true;
        },
      );

      // Two concurrent refreshes with the same token: exactly one wins.
      const pw2 = await km.token({ grantType: 'password', client, username: 'ann', password: 'pw' });
      const results = await Promise.allSettled([
        km.token({ grantType: 'refresh_token', client, refreshToken: pw2.refresh_token }),
        km.token({ grantType: 'refresh_token', client, refreshToken: pw2.refresh_token }),
      ]);
      assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);

      // A wrong resource-owner password is an OAuthError (invalid_grant).
      await assert.rejects(
        km.token({ grantType: 'password', client, username: 'ann', password: 'no' }),
        OAuthError,
      );
    } finally {
      await store.close();
    }
  });
}
