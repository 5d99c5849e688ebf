import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../../key-manager/external/test-support/oidc-provider-fixture.js';
import { multipartBody, type FormPart } from '../../http/test-support/multipart-body.js';
import { adminAuth, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { ADMIN_KEY_MANAGERS as KM, keyManagerAdminRoutes } from './index.js';

let kc: OidcProviderFixture;
before(async () => {
  kc = await startOidcProvider('keycloak');
});
after(() => kc.close());

test('POST /key-managers/discover as multipart (-F url=... -F type=...) reads the real well-known document', async () => {
  const [d] = await testDialects();
  assert.ok(d);
  const h = await createHarness(await d.open(), [keyManagerAdminRoutes()]);
  const discover = async (fields: Record<string, FormPart | FormPart[]>, headers = adminAuth) => {
    const body = await multipartBody(fields);
    return h.app.inject({
      method: 'POST',
      url: `${KM}/discover`,
      headers: { ...headers, ...body.headers },
      payload: body.payload,
    });
  };
  try {
    const res = await discover({ url: kc.wellKnown, type: 'Keycloak' });
    assert.equal(res.statusCode, 200, res.body);
    const { valid, value } = res.json();
    assert.equal(valid, true);
    assert.equal(value.type, 'Keycloak');
    assert.equal(value.issuer, kc.issuer);
    assert.equal(value.wellKnownEndpoint, kc.wellKnown);
    assert.equal(value.tokenEndpoint, kc.tokenEndpoint);
    assert.equal(value.clientRegistrationEndpoint, kc.registrationEndpoint);
    assert.deepEqual(value.certificates, { type: 'JWKS', value: kc.jwksUri });
    assert.equal(value.consumerKeyClaim, 'azp');
    assert.ok(value.availableGrantTypes.includes('client_credentials'), value.availableGrantTypes);
    assert.equal((await h.app.inject({ url: KM, headers: adminAuth })).json().count, 1, 'nothing saved');

    const refusals: [Record<string, FormPart | FormPart[]>, number, string, RegExp][] = [
      [{ type: 'Keycloak' }, 400, 'VALIDATION_FAILED', /required property 'url'/],
      [{ url: kc.wellKnown, type: 'WSO2-IS-9' }, 400, 'VALIDATION_FAILED', /type/],
      [
        { url: kc.wellKnown, type: 'Keycloak', issuer: 'x' },
        400,
        'MULTIPART_INVALID',
        /issuer is not taken here; use url, type/,
      ],
      [
        { url: [kc.wellKnown, kc.wellKnown], type: 'Keycloak' },
        400,
        'MULTIPART_INVALID',
        /url must not be repeated/,
      ],
      [{ url: 'file:///etc/passwd', type: 'OIDC' }, 400, 'VALIDATION_FAILED', /absolute http/],
      [
        { url: 'http://127.0.0.1:9/.well-known/openid-configuration', type: 'OIDC' },
        502,
        'BAD_GATEWAY',
        /unreachable/,
      ],
    ];
    for (const [fields, status, errorCode, description] of refusals) {
      const r = await discover(fields);
      assert.equal(r.statusCode, status, `${JSON.stringify(fields)}: ${r.body}`);
      assert.equal(r.json().errorCode, errorCode);
      assert.match(r.json().description, description);
    }
    const subscriber = await userAuth(h, 'km-sub', ['subscriber']);
    assert.equal((await discover({ url: kc.wellKnown, type: 'Keycloak' }, subscriber)).statusCode, 403);
  } finally {
    await h.close();
  }
});
