import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../../key-manager/external/test-support/oidc-provider-fixture.js';
import { adminAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes } from './index.js';

let kc: OidcProviderFixture;
before(async () => {
  kc = await startOidcProvider('keycloak');
});
after(async () => {
  await kc.close();
});

// Values Portico accepts (EXCHANGED/BOTH and enabled tokenValidation entries are refused:
// key-manager-routes.unsupported-settings.test.ts).
const stored = {
  tokenType: 'DIRECT',
  alias: 'https://idp.example.com/token',
  global: true,
  tokenValidation: [
    { id: 1, enable: false, type: 'JWT', value: { body: { iss: 'https://idp.example.com' } } },
  ],
};

for (const d of await testDialects()) {
  test(`admin key managers on ${d.name}: tokenType, alias, global, tokenValidation round-trip (GET → change → PUT → GET)`, async () => {
    const h = await createHarness(await d.open(), [keyManagerAdminRoutes({})]);
    try {
      const created = await h.app.inject({
        method: 'POST',
        url: KM,
        headers: adminAuth,
        payload: {
          name: 'Keycloak',
          type: 'Keycloak',
          issuer: kc.issuer,
          clientRegistrationEndpoint: kc.registrationEndpoint,
          tokenEndpoint: kc.tokenEndpoint,
          certificates: { type: 'JWKS', value: kc.jwksUri },
          additionalProperties: { client_id: 'portico', client_secret: 'cs-1' },
          ...stored,
        },
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const get = async () => {
        const res = await h.app.inject({ method: 'GET', url: `${KM}/${id}`, headers: adminAuth });
        assert.equal(res.statusCode, 200);
        return res.json() as Record<string, unknown>;
      };
      let dto = await get();
      for (const [k, v] of Object.entries(stored)) assert.deepEqual(dto[k], v, `${k} stored as sent`);

      const changes: Record<string, unknown> = {
        alias: 'https://idp.example.com/other',
        global: false,
        tokenValidation: [{ enable: false, type: 'REFERENCE', value: 'ref' }],
      };
      for (const [k, v] of Object.entries({ none: undefined, ...changes })) {
        const sent = k === 'none' ? dto : { ...dto, [k]: v };
        const put = await h.app.inject({
          method: 'PUT',
          url: `${KM}/${id}`,
          headers: adminAuth,
          payload: sent,
        });
        assert.equal(put.statusCode, 200, `${k}: ${put.body}`);
        dto = await get();
        assert.deepEqual(dto, sent, `${k} round-trips`);
      }

      const bad = await h.app.inject({
        method: 'PUT',
        url: `${KM}/${id}`,
        headers: adminAuth,
        payload: { ...dto, tokenType: 'SOMETIMES' },
      });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(await get(), dto, 'nothing written');
    } finally {
      await h.close();
    }
  });
}
