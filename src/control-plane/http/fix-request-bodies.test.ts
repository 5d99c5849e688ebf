import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import {
  adminBasic,
  createApplication,
  dumpDatabase,
  fullHarness,
} from '../../../test/support/full-control-plane.js';

const DP = '/api/am/devportal/v3';

const unsupported = (description: string) => ({
  code: 900415,
  message: 'Unsupported Media Type',
  description,
  moreInfo: '',
  error: [],
  errorCode: 'UNSUPPORTED_MEDIA_TYPE',
});

for (const d of await testDialects()) {
  test(`a body in a content type the route does not document is 415 and writes nothing, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const auth = adminBasic();
      const appId = await createApplication(h, 'content-type-app');
      const before = await dumpDatabase(h.store);

      // The JSON asks for an expiry and an IP restriction; read as a form it would issue an unrestricted key.
      const generate = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/api-keys/PRODUCTION/generate`,
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        payload: JSON.stringify({ validityPeriod: 60, additionalProperties: { permittedIP: '10.0.0.1' } }),
      });
      assert.equal(generate.statusCode, 415, generate.body);
      assert.deepEqual(
        generate.json(),
        unsupported(
          'Content-Type application/x-www-form-urlencoded is not accepted here; use application/json',
        ),
      );

      const plain = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: { authorization: auth, 'content-type': 'text/plain' },
        payload: JSON.stringify({ name: 'via-text-plain', throttlingPolicy: 'Unlimited' }),
      });
      assert.equal(plain.statusCode, 415, plain.body);
      assert.deepEqual(
        plain.json(),
        unsupported('Content-Type text/plain is not accepted here; use application/json'),
      );

      const latin1 = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: { authorization: auth, 'content-type': 'application/json; charset=iso-8859-1' },
        payload: JSON.stringify({ name: 'latin1', throttlingPolicy: 'Unlimited' }),
      });
      assert.equal(latin1.statusCode, 415, latin1.body);
      assert.equal(latin1.json().errorCode, 'UNSUPPORTED_MEDIA_TYPE');

      // DCR documents application/json; a form must not register a client.
      const dcr = await h.app.inject({
        method: 'POST',
        url: '/client-registration/v0.17/register',
        headers: { authorization: auth, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'clientName=via-form&owner=admin',
      });
      assert.equal(dcr.statusCode, 415, dcr.body);
      assert.equal(dcr.json().errorCode, 'UNSUPPORTED_MEDIA_TYPE');

      // The token endpoint takes forms only (RFC 6749 §4.4.2); its errors are RFC 6749 bodies.
      const tokenJson = await h.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      assert.equal(tokenJson.statusCode, 415, tokenJson.body);
      assert.deepEqual(tokenJson.json(), {
        error: 'invalid_request',
        error_description:
          'Content-Type application/json is not accepted here; use application/x-www-form-urlencoded',
      });

      assert.deepEqual(await dumpDatabase(h.store), before);

      // Still accepted: JSON with a UTF-8 charset parameter.
      const utf8 = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: { authorization: auth, 'content-type': 'application/json; charset=UTF-8' },
        payload: JSON.stringify({ name: 'utf8-app', throttlingPolicy: 'Unlimited' }),
      });
      assert.equal(utf8.statusCode, 201, utf8.body);
    } finally {
      await h.close();
    }
  });

  test(`a repeated OAuth2 form parameter is invalid_request, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      // RFC 6749 §3.2: request parameters must not be included more than once.
      const res = await h.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'grant_type=client_credentials&grant_type=password&client_id=a&client_secret=b',
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(res.json(), {
        error: 'invalid_request',
        error_description: 'Form parameter grant_type must not be repeated',
      });
    } finally {
      await h.close();
    }
  });

  test(`an empty body sent as application/json counts as no body (WSO2's documented curl), on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const auth = adminBasic();
      const appId = await createApplication(h, 'empty-body-app');
      const keys = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/generate-keys`,
        headers: { authorization: auth },
        payload: { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
      });
      assert.equal(keys.statusCode, 200, keys.body);
      const mapping = (keys.json() as { keyMappingId: string }).keyMappingId;
      // curl -k -H "Content-Type: application/json" -X POST ".../oauth-keys/{id}/regenerate-secret"
      const res = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/oauth-keys/${mapping}/regenerate-secret`,
        headers: { authorization: auth, 'content-type': 'application/json' },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(typeof res.json().consumerSecret, 'string');
    } finally {
      await h.close();
    }
  });
}
