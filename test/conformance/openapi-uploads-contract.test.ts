import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { createHarness } from '../support/control-plane-harness.js';
import { keyManagerAdminRoutes } from '../../src/control-plane/admin/key-managers/index.js';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import { multipartBody } from '../../src/control-plane/http/test-support/multipart-body.js';
import {
  ADDITIONAL,
  send,
  yamlFile,
} from '../../src/control-plane/publisher/test-support/openapi-uploads.js';
import { adminAuth, ADM, PUB } from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';
import {
  startOidcProvider,
  type OidcProviderFixture,
} from '../../src/key-manager/external/test-support/oidc-provider-fixture.js';
import { wso2SchemaCheck } from './devportal-openapi-schema.js';

// The multipart operations' answers against WSO2's own schemas (publisher-api.json, admin-api.json): what a WSO2
// client parses must parse. Errors are checked against `Error` too (Portico adds the string `errorCode`).
let kc: OidcProviderFixture;
before(async () => {
  kc = await startOidcProvider('keycloak');
});
after(() => kc.close());

test('import-openapi, validate-openapi and key-managers/discover answer in the shapes of WSO2’s OpenAPI documents', async () => {
  const [d] = await testDialects();
  assert.ok(d);
  const publisher = wso2SchemaCheck('publisher-api.json');
  const admin = wso2SchemaCheck('admin-api.json');
  const h = await createHarness(await d.open(), [publisherRoutes(), keyManagerAdminRoutes()]);
  try {
    const imported = await send(h, 'POST', `${PUB}/apis/import-openapi`, {
      file: yamlFile(),
      additionalProperties: ADDITIONAL,
    });
    assert.equal(imported.statusCode, 201, imported.body);
    // publisher-api.json types `keyManagers` as an object, though WSO2 itself answers `["all"]`, as Portico does.
    const { keyManagers, ...api } = imported.json() as { keyManagers: unknown };
    assert.deepEqual(keyManagers, ['all']);
    publisher('API', api);

    const valid = await send(h, 'POST', `${PUB}/apis/validate-openapi?returnContent=true`, {
      file: yamlFile(),
    });
    publisher('OpenAPIDefinitionValidationResponse', valid.json());
    assert.equal(valid.json().isValid, true);
    const invalid = await send(h, 'POST', `${PUB}/apis/validate-openapi`, { file: yamlFile('a: [') });
    publisher('OpenAPIDefinitionValidationResponse', invalid.json());
    assert.equal(invalid.json().isValid, false);

    for (const res of [
      await send(h, 'POST', `${PUB}/apis/validate-openapi`, {}),
      await send(h, 'POST', `${PUB}/apis/import-openapi`, { file: yamlFile(), bogus: 'x' }),
      await send(h, 'POST', `${PUB}/apis/import-openapi`, { url: 'http://127.0.0.1:9/x' }),
    ]) {
      assert.equal(res.statusCode, 400, res.body);
      publisher('Error', res.json());
    }

    const form = await multipartBody({ url: kc.wellKnown, type: 'Keycloak' });
    const discovered = await h.app.inject({
      method: 'POST',
      url: `${ADM}/key-managers/discover`,
      headers: { ...adminAuth, ...form.headers },
      payload: form.payload,
    });
    assert.equal(discovered.statusCode, 200, discovered.body);
    // Nothing is saved, so the manager has no name yet ('', as before multipart): WSO2 leaves it unset too, which
    // its own `KeyManager` (name required, non-empty) does not allow either. Every other field is checked.
    const answer = discovered.json() as { valid: boolean; value: { name: string } };
    assert.equal(answer.value.name, '');
    admin('KeyManagerWellKnownResponse', { ...answer, value: { ...answer.value, name: 'Named' } });
  } finally {
    await h.close();
  }
});
