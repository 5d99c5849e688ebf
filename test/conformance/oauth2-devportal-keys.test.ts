import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { createApp, DP, dpPost, form, generateKeys, kmHarness, userAuth } from './oauth2-fixtures.js';
import { rawDb } from '../support/raw-db.js';

const CREDENTIAL = /^[A-Za-z0-9_]{27}a$/;

for (const d of await testDialects()) {
  test(`generate-keys returns ApplicationKey once; secrets are stored hashed (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const deltas = h.recordDeltas();
      const kim = await userAuth(h, 'kim', ['subscriber']);
      const appId = await createApp(h, kim, 'KeysApp');
      const res = await dpPost(h, kim, `/applications/${appId}/generate-keys`, {
        keyType: 'PRODUCTION',
        keyManager: 'Resident Key Manager',
        grantTypesToBeSupported: ['client_credentials', 'password', 'refresh_token'],
        callbackUrl: 'https://app.example.com/cb',
        scopes: ['default', 'apim:subscribe'],
        validityTime: '3600',
        additionalProperties: { note: 'x' },
      });
      assert.equal(res.statusCode, 200, res.body);
      const k = res.json();
      assert.match(k.consumerKey, CREDENTIAL);
      assert.match(k.consumerSecret, CREDENTIAL);
      assert.deepEqual(k, {
        keyMappingId: k.keyMappingId,
        keyManager: 'Resident Key Manager',
        consumerKey: k.consumerKey,
        consumerSecret: k.consumerSecret,
        supportedGrantTypes: ['client_credentials', 'password', 'refresh_token'],
        callbackUrl: 'https://app.example.com/cb',
        keyState: 'APPROVED',
        keyType: 'PRODUCTION',
        mode: 'CREATED',
        groupId: null,
        token: {
          accessToken: k.token.accessToken,
          tokenScopes: ['apim:subscribe', 'default'],
          validityTime: 3600,
        },
        additionalProperties: { note: 'x' },
      });
      const app = await rawDb(h.store)
        .selectFrom('applications')
        .select('id')
        .where('uuid', '=', appId)
        .executeTakeFirstOrThrow();
      assert.deepEqual(
        (await deltas.all()).map((d) => [d.kind, d.kind === 'keymapping' ? d.mapping?.consumerKey : d.key]),
        [
          ['application', String(app.id)],
          ['keymapping', k.consumerKey],
        ],
      );

      // No secret in plain text anywhere in the client row.
      const row = await rawDb(h.store)
        .selectFrom('oauth_clients')
        .selectAll()
        .where('client_id', '=', k.consumerKey)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(JSON.stringify(row), new RegExp(k.consumerSecret));
      assert.match(row.secret_hash, /^sha256:/);

      const again = await dpPost(h, kim, `/applications/${appId}/generate-keys`, {
        keyType: 'PRODUCTION',
        grantTypesToBeSupported: ['client_credentials'],
      });
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().errorCode, 'KEYS_ALREADY_GENERATED');
      const sandbox = await generateKeys(h, kim, appId, {
        keyType: 'SANDBOX',
        grantTypesToBeSupported: ['password'],
      });
      assert.notEqual(sandbox.consumerKey, k.consumerKey);
      assert.equal(sandbox.token, null, 'no client_credentials grant, no token');

      // Listing never shows the secret again.
      const list = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${appId}/oauth-keys`,
        headers: { authorization: kim },
      });
      assert.equal(list.statusCode, 200);
      assert.equal(list.json().count, 2);
      for (const item of list.json().list) {
        assert.equal('consumerSecret' in item, false);
        assert.equal('token' in item, false);
      }
      assert.doesNotMatch(list.body, new RegExp(`${k.consumerSecret}|${sandbox.consumerSecret}`));
      const appBody = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${appId}`,
        headers: { authorization: kim },
      });
      assert.equal(appBody.json().keys.length, 2);
      assert.doesNotMatch(appBody.body, new RegExp(k.consumerSecret));

      // The gateway snapshot learns the key mapping.
      const snap = await h.ctx.snapshots.rebuild();
      assert.ok(snap.keyMappings.some((m) => m.consumerKey === k.consumerKey && m.keyType === 'PRODUCTION'));

      const one = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${appId}/oauth-keys/${k.keyMappingId}`,
        headers: { authorization: kim },
      });
      assert.equal(one.json().consumerKey, k.consumerKey);

      const put = await h.app.inject({
        method: 'PUT',
        url: `${DP}/applications/${appId}/oauth-keys/${k.keyMappingId}`,
        headers: { authorization: kim, 'content-type': 'application/json' },
        payload: JSON.stringify({
          supportedGrantTypes: ['client_credentials'],
          callbackUrl: 'https://new.example.com/cb',
        }),
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(put.json().supportedGrantTypes, ['client_credentials']);
      assert.equal(put.json().callbackUrl, 'https://new.example.com/cb');
      const pw = await form(
        h,
        '/oauth2/token',
        { grant_type: 'password', username: 'kim', password: 'kim-password-1' },
        { id: k.consumerKey, secret: k.consumerSecret },
      );
      assert.equal(pw.json().error, 'unauthorized_client', 'the password grant was removed from the client');
      const badPut = await h.app.inject({
        method: 'PUT',
        url: `${DP}/applications/${appId}/oauth-keys/${k.keyMappingId}`,
        headers: { authorization: kim, 'content-type': 'application/json' },
        payload: JSON.stringify({ supportedGrantTypes: ['implicit'] }),
      });
      assert.equal(badPut.statusCode, 400);
      assert.equal(badPut.json().errorCode, 'VALIDATION_FAILED');

      // regenerate-secret: the old secret stops working at once.
      const regen = await dpPost(
        h,
        kim,
        `/applications/${appId}/oauth-keys/${k.keyMappingId}/regenerate-secret`,
        {},
      );
      assert.equal(regen.statusCode, 200);
      assert.deepEqual(Object.keys(regen.json()), ['consumerKey', 'consumerSecret']);
      assert.equal(regen.json().consumerKey, k.consumerKey);
      assert.match(regen.json().consumerSecret, CREDENTIAL);
      const old = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { id: k.consumerKey, secret: k.consumerSecret },
      );
      assert.equal(old.statusCode, 401);
      assert.equal(old.json().error, 'invalid_client');
      const fresh = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { id: k.consumerKey, secret: regen.json().consumerSecret },
      );
      assert.equal(fresh.statusCode, 200);

      const del = await h.app.inject({
        method: 'DELETE',
        url: `${DP}/applications/${appId}/oauth-keys/${k.keyMappingId}`,
        headers: { authorization: kim },
      });
      assert.equal(del.statusCode, 200);
      const dead = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { id: k.consumerKey, secret: regen.json().consumerSecret },
      );
      assert.equal(dead.statusCode, 401);
      // Gateways learn of each mapping's creation (PRODUCTION, SANDBOX) and removal; grant and secret changes are
      // not theirs to know.
      assert.deepEqual(
        (await deltas.all())
          .filter((d) => d.kind === 'keymapping')
          .map((d) => d.kind === 'keymapping' && d.mapping !== null),
        [true, true, false],
      );
      // Keys can be generated again after deletion.
      await generateKeys(h, kim, appId);
    } finally {
      await h.close();
    }
  });

  test(`keys: another user's application or keys are 404; bad input writes nothing (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const lea = await userAuth(h, 'lea', ['subscriber']);
      const max = await userAuth(h, 'max', ['subscriber']);
      const appId = await createApp(h, lea, 'LeaApp');
      const k = await generateKeys(h, lea, appId);
      const km = `${DP}/applications/${appId}/oauth-keys/${k.keyMappingId}`;
      const attempts: [string, string, unknown][] = [
        [
          'POST',
          `${DP}/applications/${appId}/generate-keys`,
          { keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'] },
        ],
        [
          'POST',
          `${DP}/applications/${appId}/map-keys`,
          { consumerKey: k.consumerKey, consumerSecret: k.consumerSecret, keyType: 'SANDBOX' },
        ],
        ['GET', `${DP}/applications/${appId}/oauth-keys`, undefined],
        ['GET', km, undefined],
        ['PUT', km, { supportedGrantTypes: ['client_credentials'] }],
        ['DELETE', km, undefined],
        ['POST', `${km}/regenerate-secret`, {}],
        ['POST', `${km}/generate-token`, { consumerSecret: k.consumerSecret }],
      ];
      for (const [method, url, payload] of attempts) {
        const r = await h.app.inject({
          method: method as 'GET',
          url,
          headers: {
            authorization: max,
            ...(payload !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(payload !== undefined ? { payload: JSON.stringify(payload) } : {}),
        });
        assert.equal(r.statusCode, 404, `${method} ${url}`);
        assert.equal(r.json().errorCode, 'APPLICATION_NOT_FOUND');
        assert.doesNotMatch(r.body, new RegExp(k.consumerKey));
      }
      // The original secret still works: nothing was regenerated or deleted.
      const ok = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { id: k.consumerKey, secret: k.consumerSecret },
      );
      assert.equal(ok.statusCode, 200);
      // A key mapping id of another application of the same user is 404 too.
      const other = await createApp(h, lea, 'LeaOther');
      const cross = await h.app.inject({
        method: 'GET',
        url: `${DP}/applications/${other}/oauth-keys/${k.keyMappingId}`,
        headers: { authorization: lea },
      });
      assert.equal(cross.statusCode, 404);
      assert.equal(cross.json().errorCode, 'KEY_MAPPING_NOT_FOUND');
      assert.equal(
        (await h.app.inject({ method: 'GET', url: `${DP}/applications/${appId}/oauth-keys` })).statusCode,
        401,
      );

      const counts = async () => [
        (await rawDb(h.store).selectFrom('oauth_clients').select('client_id').execute()).length,
        (await rawDb(h.store).selectFrom('key_mappings').select('uuid').execute()).length,
      ];
      const before = await counts();
      const bad: [unknown, string][] = [
        [{ keyType: 'TESTING', grantTypesToBeSupported: ['client_credentials'] }, 'VALIDATION_FAILED'],
        [{ keyType: 'SANDBOX' }, 'VALIDATION_FAILED'],
        [{ keyType: 'SANDBOX', grantTypesToBeSupported: ['implicit'] }, 'VALIDATION_FAILED'],
        [
          { keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'], validityTime: 'soon' },
          'VALIDATION_FAILED',
        ],
        // A zero validity would sign a token born expired (exp == iat) that the skew lets in (issue 10).
        ...[0, '0', '-0', '00'].map((validityTime): [unknown, string] => [
          { keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'], validityTime },
          'VALIDATION_FAILED',
        ]),
        [
          { keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'], surprise: 1 },
          'VALIDATION_FAILED',
        ],
        [
          { keyType: 'SANDBOX', grantTypesToBeSupported: ['client_credentials'], keyManager: 'Okta' },
          'UNSUPPORTED_OPERATION',
        ],
      ];
      for (const [payload, code] of bad) {
        const r = await dpPost(h, lea, `/applications/${appId}/generate-keys`, payload);
        assert.equal(r.statusCode, 400, JSON.stringify(payload));
        assert.equal(r.json().errorCode, code, JSON.stringify(payload));
      }
      const broken = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications/${appId}/generate-keys`,
        headers: { authorization: lea, 'content-type': 'application/json' },
        payload: '{"keyType":',
      });
      assert.equal(broken.statusCode, 400);
      const badToken = await dpPost(
        h,
        lea,
        `/applications/${appId}/oauth-keys/${k.keyMappingId}/generate-token`,
        { consumerSecret: k.consumerSecret, validityPeriod: 'long' },
      );
      assert.equal(badToken.statusCode, 400);
      assert.equal(badToken.json().errorCode, 'VALIDATION_FAILED');
      const zeroToken = await dpPost(
        h,
        lea,
        `/applications/${appId}/oauth-keys/${k.keyMappingId}/generate-token`,
        { consumerSecret: k.consumerSecret, validityPeriod: 0 },
      );
      assert.equal(zeroToken.statusCode, 400);
      assert.match(zeroToken.json().description as string, /validityPeriod/);
      const exchange = await dpPost(
        h,
        lea,
        `/applications/${appId}/oauth-keys/${k.keyMappingId}/generate-token`,
        { consumerSecret: k.consumerSecret, grantType: 'TOKEN_EXCHANGE' },
      );
      assert.equal(exchange.statusCode, 400);
      assert.equal(exchange.json().errorCode, 'UNSUPPORTED_OPERATION');
      assert.deepEqual(await counts(), before);
    } finally {
      await h.close();
    }
  });

  test(`map-keys maps an existing client of the same user (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const nia = await userAuth(h, 'nia', ['subscriber']);
      const oto = await userAuth(h, 'oto', ['subscriber']);
      const register = async (auth: string) =>
        (
          await h.app.inject({
            method: 'POST',
            url: '/client-registration/v0.17/register',
            headers: { authorization: auth, 'content-type': 'application/json' },
            payload: JSON.stringify({ clientName: 'external_app', grantType: 'client_credentials' }),
          })
        ).json() as { clientId: string; clientSecret: string };
      const mine = await register(nia);
      const theirs = await register(oto);
      const appId = await createApp(h, nia, 'Mapped');

      const wrong = await dpPost(h, nia, `/applications/${appId}/map-keys`, {
        consumerKey: mine.clientId,
        consumerSecret: 'wrong',
        keyType: 'SANDBOX',
      });
      assert.equal(wrong.statusCode, 400);
      assert.equal(wrong.json().errorCode, 'INVALID_CONSUMER_SECRET');
      const foreign = await dpPost(h, nia, `/applications/${appId}/map-keys`, {
        consumerKey: theirs.clientId,
        consumerSecret: theirs.clientSecret,
        keyType: 'SANDBOX',
      });
      assert.equal(foreign.statusCode, 400);
      assert.equal(foreign.json().errorCode, 'INVALID_CONSUMER_SECRET');
      assert.equal((await rawDb(h.store).selectFrom('key_mappings').select('uuid').execute()).length, 0);

      const res = await dpPost(h, nia, `/applications/${appId}/map-keys`, {
        consumerKey: mine.clientId,
        consumerSecret: mine.clientSecret,
        keyManager: 'Resident Key Manager',
        keyType: 'SANDBOX',
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mode, 'MAPPED');
      assert.equal(res.json().keyType, 'SANDBOX');
      assert.equal(res.json().consumerKey, mine.clientId);
      assert.deepEqual(res.json().supportedGrantTypes, ['client_credentials']);
      const twice = await dpPost(h, nia, `/applications/${appId}/map-keys`, {
        consumerKey: mine.clientId,
        consumerSecret: mine.clientSecret,
        keyType: 'PRODUCTION',
      });
      assert.equal(twice.statusCode, 409);
      const snap = await h.ctx.snapshots.rebuild();
      assert.ok(snap.keyMappings.some((m) => m.consumerKey === mine.clientId && m.keyType === 'SANDBOX'));

      const tok = await dpPost(
        h,
        nia,
        `/applications/${appId}/oauth-keys/${res.json().keyMappingId}/generate-token`,
        { consumerSecret: mine.clientSecret, validityPeriod: 600 },
      );
      assert.equal(tok.statusCode, 200, tok.body);
      assert.equal(tok.json().validityTime, 600);

      // Deleting a mapped key only unlinks the client, which keeps working.
      await h.app.inject({
        method: 'DELETE',
        url: `${DP}/applications/${appId}/oauth-keys/${res.json().keyMappingId}`,
        headers: { authorization: nia },
      });
      const still = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials' },
        { id: mine.clientId, secret: mine.clientSecret },
      );
      assert.equal(still.statusCode, 200);
    } finally {
      await h.close();
    }
  });
}
