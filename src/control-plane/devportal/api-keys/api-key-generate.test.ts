import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { decodeBase64Strict, WSO2_BASE64, x5tOfCert } from '../../../crypto/index.js';
import { devportalApiKeyRoutes } from './index.js';
import {
  DEV,
  assertWso2Encoding,
  countKeys,
  decodeKey,
  generate,
  insertApplication,
  subscriber,
} from './test-support/api-key-fixtures.js';
import { rawDb } from '../../../../test/support/raw-db.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISSUER = 'https://localhost:9443/oauth2/token';

for (const d of await testDialects()) {
  test(`api keys on ${d.name}: generate (lightweight), exact WSO2 format, validation and ownership`, async () => {
    const h = await createHarness(await d.open(), [devportalApiKeyRoutes]);
    try {
      const alice = await subscriber(h, 'alice');
      const app = await insertApplication(h.store, 'alice', 'AliceApp');
      const before = Math.floor(Date.now() / 1000);

      // No body: never expires, generated name.
      const res = await generate(h, alice, app.uuid);
      assert.equal(res.statusCode, 200, res.body);
      const body = res.json<{ keyName: string; apikey: string; validityTime: number }>();
      // WSO2 4.7's APIKey (validityPeriod) plus 4.4's validityTime and the keyUUID later calls name it by.
      assert.deepEqual(Object.keys(body), ['keyName', 'apikey', 'validityPeriod', 'validityTime', 'keyUUID']);
      assert.equal(body.keyName, 'API Key 1');
      assert.equal(body.validityTime, -1);
      const key = body.apikey;
      assertWso2Encoding(h, key);
      const headerJson = decodeBase64Strict(key.split('.')[0]!, WSO2_BASE64)!.toString('utf8');
      assert.equal(
        headerJson,
        `{"x5t":"${x5tOfCert(h.primaryKey.certificate, 'sha1')}","kid":"gateway_certificate_alias","typ":"JWT","alg":"RS256"}`,
      );
      const { payload } = decodeKey(key);
      assert.deepEqual(Object.keys(payload), [
        'sub',
        'jti',
        'iss',
        'iat',
        'application',
        'keytype',
        'token_type',
      ]);
      assert.match(payload.jti as string, UUID);
      assert.ok(
        (payload.iat as number) >= before && (payload.iat as number) <= Math.floor(Date.now() / 1000),
      );
      assert.deepEqual(payload, {
        sub: 'alice@carbon.super',
        jti: payload.jti,
        iss: ISSUER,
        iat: payload.iat,
        application: { id: app.id, uuid: app.uuid },
        keytype: 'PRODUCTION',
        token_type: 'apiKey',
      });
      const row = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', payload.jti as string)
        .executeTakeFirstOrThrow();
      assert.deepEqual(row, {
        jti: payload.jti,
        application_id: app.id,
        key_type: 'PRODUCTION',
        name: 'API Key 1',
        kid: 'gateway_certificate_alias',
        issued_at: (payload.iat as number) * 1000,
        expires_at: null,
        permitted_ip: null,
        permitted_referer: null,
        status: 'ACTIVE',
        revoked_at: null,
        last_used_at: null,
        issued_by: 'alice',
        format: 'jwt',
        key_hash: null,
        grace_expires_at: null,
        replaced_by: null,
        api_id: null,
      });
      assert.ok(!JSON.stringify(row).includes(key.split('.')[2]!), 'the key is not stored');

      // Validity, name and restrictions (entries trimmed).
      const res2 = await generate(h, alice, app.uuid, 'SANDBOX', {
        validityPeriod: 3600,
        keyName: ' ci key ',
        additionalProperties: {
          permittedIP: '10.0.0.0/8, 2002:eb8::2,192.168.1.2, 1001:ab8::/14',
          permittedReferer: 'www.example.com/path, *.example.com/*',
        },
      });
      assert.equal(res2.statusCode, 200, res2.body);
      assert.equal(res2.json().keyName, 'ci key');
      assert.equal(res2.json().validityTime, 3600);
      const k2 = decodeKey(res2.json().apikey as string).payload;
      assert.deepEqual(Object.keys(k2), [
        'sub',
        'jti',
        'iss',
        'iat',
        'exp',
        'application',
        'keytype',
        'token_type',
        'permittedIP',
        'permittedReferer',
      ]);
      assert.equal((k2.exp as number) - (k2.iat as number), 3600);
      assert.equal(k2.keytype, 'SANDBOX');
      assert.equal(k2.permittedIP, '10.0.0.0/8,2002:eb8::2,192.168.1.2,1001:ab8::/14');
      assert.equal(k2.permittedReferer, 'www.example.com/path,*.example.com/*');
      const row2 = await rawDb(h.store)
        .selectFrom('api_keys')
        .selectAll()
        .where('jti', '=', k2.jti as string)
        .executeTakeFirstOrThrow();
      assert.equal(row2.expires_at, (k2.exp as number) * 1000);
      assert.equal(row2.permitted_ip, k2.permittedIP);
      assert.equal(row2.permitted_referer, k2.permittedReferer);
      assert.equal(row2.key_type, 'SANDBOX');

      // keyType is case-insensitive; anything else is refused.
      const lower = await generate(h, alice, app.uuid, 'production');
      assert.equal(lower.statusCode, 200);
      assert.equal(decodeKey(lower.json().apikey as string).payload.keytype, 'PRODUCTION');
      assert.equal(lower.json().keyName, 'API Key 3');
      const foo = await generate(h, alice, app.uuid, 'foo');
      assert.equal(foo.statusCode, 400);
      assert.equal(foo.json().errorCode, 'INVALID_KEY_TYPE');

      // An empty JSON body counts as no body.
      const empty = await h.app.inject({
        method: 'POST',
        url: `${DEV}/applications/${app.uuid}/api-keys/PRODUCTION/generate`,
        headers: { ...alice, 'content-type': 'application/json' },
        payload: '',
      });
      assert.equal(empty.statusCode, 200, empty.body);
      assert.equal(empty.json().validityTime, -1);
      assert.equal(decodeKey(empty.json().apikey as string).payload.exp, undefined);

      // §2.5: -1 and validities beyond Integer.MAX_VALUE - now never expire.
      for (const validity of [-1, 2147483647]) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', { validityPeriod: validity });
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().validityTime, validity);
        assert.equal('exp' in decodeKey(r.json().apikey as string).payload, false);
      }
      // WSO2 signs these with exp before iat, and its 300 s skew lets them in for 5 minutes (issue 10).
      const keysBefore = await countKeys(h);
      for (const validity of [-5, 0, -2, -2147483648]) {
        const r = await generate(h, alice, app.uuid, 'PRODUCTION', { validityPeriod: validity });
        assert.equal(r.statusCode, 400, `${validity}: ${r.body}`);
        assert.equal(r.json().errorCode, 'VALIDATION_FAILED');
        assert.match(r.json().description as string, /validityPeriod/);
      }
      assert.equal(await countKeys(h), keysBefore, 'nothing issued');

      // A present-but-empty restriction is emitted as "" (WSO2 §2.6): no restriction at the gateway.
      const blank = await generate(h, alice, app.uuid, 'PRODUCTION', {
        additionalProperties: { permittedIP: '' },
      });
      assert.equal(blank.statusCode, 200);
      assert.equal(decodeKey(blank.json().apikey as string).payload.permittedIP, '');
    } finally {
      await h.close();
    }
  });
}
