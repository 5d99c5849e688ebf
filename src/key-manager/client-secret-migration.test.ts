import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { sql, type Kysely } from 'kysely';
import { parseConfig } from '../config/index.js';
import { fakeClock } from '../core/index.js';
import { up as migration005 } from '../store/migrations/005-client-secrets.js';
import { testDialects } from '../../test/support/dialects.js';
import { rawDb } from '../../test/support/raw-db.js';
import { selfSignedKey } from '../../test/support/self-signed.js';
import { createResidentKeyManager } from './index.js';

const key = selfSignedKey('gateway_certificate_alias');

for (const d of await testDialects()) {
  test(`migration 005 keeps the secret of every client made before it (${d.name})`, async () => {
    const store = await d.open();
    try {
      const km = createResidentKeyManager({
        store,
        clock: fakeClock(),
        config: parseConfig('', 'deployment.toml', {}),
        signingKey: key,
        issuer: 'https://localhost:9443/oauth2/token',
        logger: pino({ level: 'silent' }),
        verifyUser: async () => null,
        userRoles: async () => ['subscriber'],
        scopeAllowed: () => false,
      });
      const { client, clientSecret } = await km.createClient({
        name: 'old',
        owner: 'ann',
        grantTypes: ['client_credentials'],
      });
      // Back to the state before 005: the secret only in oauth_clients.secret_hash.
      const db = rawDb(store);
      await sql`DROP TABLE oauth_client_secrets`.execute(db);
      assert.equal(await km.authenticateClient(client.clientId, clientSecret).catch(() => null), null);
      await migration005(db as unknown as Kysely<unknown>, d.name);

      assert.equal((await km.authenticateClient(client.clientId, clientSecret))?.clientId, client.clientId);
      assert.equal(await km.authenticateClient(client.clientId, `${clientSecret}x`), null);
      const [secret] = await km.listSecrets(client.clientId);
      assert.deepEqual(secret && { hint: secret.hint, state: secret.state }, { hint: '', state: 'ACTIVE' });
    } finally {
      await store.close();
    }
  });
}
