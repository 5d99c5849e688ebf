import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { devportalSchemaCheck } from './devportal-openapi-schema.js';
import { createApp, DP, dpPost, form, generateKeys, kmHarness, userAuth } from './oauth2-fixtures.js';

const check = devportalSchemaCheck();

test("WSO2's deprecated keys/{keyType} family and clean-up are served for Resident Key Manager keys", async () => {
  const [d] = await testDialects();
  assert.ok(d);
  const h = await kmHarness(await d.open());
  try {
    const kim = await userAuth(h, 'kim', ['subscriber']);
    const appId = await createApp(h, kim, 'Legacy');
    const keys = await generateKeys(h, kim, appId, { grantTypesToBeSupported: ['client_credentials'] });
    const get = (url: string, auth = kim) =>
      h.app.inject({ method: 'GET', url: `${DP}${url}`, headers: { authorization: auth } });

    const all = await get(`/applications/${appId}/keys`);
    assert.equal(all.statusCode, 200, all.body);
    check('ApplicationKeyList', all.json());
    assert.deepEqual(
      all.json().list.map((k: { consumerKey: string }) => k.consumerKey),
      [keys.consumerKey],
    );
    const one = await get(`/applications/${appId}/keys/PRODUCTION`);
    assert.equal(one.statusCode, 200, one.body);
    check('ApplicationKey', one.json());
    const byId = await get(`/applications/${appId}/oauth-keys/${keys.keyMappingId}`);
    assert.deepEqual(one.json(), byId.json());
    assert.equal('consumerSecret' in one.json(), false);

    const sandbox = await get(`/applications/${appId}/keys/SANDBOX`);
    assert.equal(sandbox.statusCode, 404);
    assert.equal(sandbox.json().errorCode, 'KEY_MAPPING_NOT_FOUND');
    const bogus = await get(`/applications/${appId}/keys/STAGING`);
    assert.equal(bogus.statusCode, 400);
    const eve = await userAuth(h, 'eve', ['subscriber']);
    assert.equal((await get(`/applications/${appId}/keys/PRODUCTION`, eve)).statusCode, 404);

    const put = await h.app.inject({
      method: 'PUT',
      url: `${DP}/applications/${appId}/keys/PRODUCTION`,
      headers: { authorization: kim, 'content-type': 'application/json' },
      payload: JSON.stringify({
        supportedGrantTypes: ['client_credentials', 'password'],
        callbackUrl: 'https://x.example/cb',
      }),
    });
    assert.equal(put.statusCode, 200, put.body);
    check('ApplicationKey', put.json());
    assert.deepEqual(put.json().supportedGrantTypes, ['client_credentials', 'password']);
    assert.equal(put.json().callbackUrl, 'https://x.example/cb');

    const regen = await dpPost(h, kim, `/applications/${appId}/keys/PRODUCTION/regenerate-secret`, {});
    assert.equal(regen.statusCode, 200, regen.body);
    check('ApplicationKeyReGenerateResponse', regen.json());
    const secret = regen.json().consumerSecret as string;
    const cc = await form(
      h,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { id: keys.consumerKey, secret },
    );
    assert.equal(cc.statusCode, 200);

    const tok = await dpPost(h, kim, `/applications/${appId}/keys/PRODUCTION/generate-token`, {
      consumerSecret: secret,
      validityPeriod: 600,
      scopes: ['default'],
    });
    assert.equal(tok.statusCode, 200, tok.body);
    check('ApplicationToken', tok.json());
    assert.equal(tok.json().validityTime, 600);
    const wrong = await dpPost(h, kim, `/applications/${appId}/keys/PRODUCTION/generate-token`, {
      consumerSecret: keys.consumerSecret,
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().errorCode, 'INVALID_CONSUMER_SECRET');

    for (const path of ['keys/PRODUCTION', 'keys/SANDBOX', `oauth-keys/${keys.keyMappingId}`]) {
      const clean = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/${path}/clean-up`,
        headers: { authorization: kim },
      });
      assert.equal(clean.statusCode, 200, `${path}: ${clean.body}`);
      const foreign = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/${path}/clean-up`,
        headers: { authorization: eve },
      });
      assert.equal(foreign.statusCode, 404);
    }
    // An unknown key mapping is 404, not 200 (the REST fuzz found `oauth-keys/-1/clean-up` accepted).
    const unknown = await h.app.inject({
      method: 'POST',
      url: `${DP}/applications/${appId}/oauth-keys/-1/clean-up`,
      headers: { authorization: kim },
    });
    assert.equal(unknown.statusCode, 404, unknown.body);
    assert.equal(unknown.json().errorCode, 'KEY_MAPPING_NOT_FOUND');
    // Clean-up never removes working keys.
    assert.equal((await get(`/applications/${appId}/keys/PRODUCTION`)).statusCode, 200);
    const still = await form(
      h,
      '/oauth2/token',
      { grant_type: 'client_credentials' },
      { id: keys.consumerKey, secret },
    );
    assert.equal(still.statusCode, 200);
  } finally {
    await h.close();
  }
});
