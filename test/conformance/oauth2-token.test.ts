import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic } from '../support/control-plane-harness.js';
import {
  createApp,
  DP,
  dpPost,
  form,
  generateKeys,
  jwtPart,
  kmHarness,
  userAuth,
} from './oauth2-fixtures.js';
import { rawDb } from '../support/raw-db.js';

const TOKEN = '/oauth2/token';

for (const d of await testDialects()) {
  test(`token endpoint errors follow RFC 6749 (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const keys = await generateKeys(h, admin, await createApp(h, admin, 'Errors'), {
        grantTypesToBeSupported: ['client_credentials'],
      });
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };

      const wrong = await form(h, TOKEN, { grant_type: 'client_credentials' }, { ...client, secret: 'nope' });
      assert.equal(wrong.statusCode, 401);
      assert.equal(wrong.headers['www-authenticate'], 'Basic realm="Portico"');
      assert.deepEqual(wrong.json(), {
        error: 'invalid_client',
        error_description: 'Client authentication failed',
      });

      const unknownClient = await form(
        h,
        TOKEN,
        { grant_type: 'client_credentials' },
        { id: 'x', secret: 'y' },
      );
      assert.equal(unknownClient.statusCode, 401);
      assert.equal(unknownClient.json().error, 'invalid_client');

      const none = await form(h, TOKEN, { grant_type: 'client_credentials' });
      assert.equal(none.statusCode, 401);
      assert.equal(none.json().error, 'invalid_client');

      const unknownGrant = await form(h, TOKEN, { grant_type: 'urn:example:magic' }, client);
      assert.equal(unknownGrant.statusCode, 400);
      assert.deepEqual(unknownGrant.json(), {
        error: 'unsupported_grant_type',
        error_description: 'Unsupported grant_type value',
      });

      // The success reply's wire form: type, no-store headers, WSO2's field order.
      const ok = await form(h, TOKEN, { grant_type: 'client_credentials' }, client);
      assert.equal(ok.statusCode, 200);
      assert.equal(ok.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(ok.headers['cache-control'], 'no-store');
      assert.equal(ok.headers.pragma, 'no-cache');
      assert.deepEqual(Object.keys(ok.json()), ['access_token', 'scope', 'token_type', 'expires_in']);
      assert.equal(ok.body, JSON.stringify(ok.json()));

      const missing = await form(h, TOKEN, {}, client);
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().error, 'invalid_request');

      // The client was registered for client_credentials only.
      const notAllowed = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: 'admin', password: 'x' },
        client,
      );
      assert.equal(notAllowed.statusCode, 400);
      assert.equal(notAllowed.json().error, 'unauthorized_client');

      const both = await h.app.inject({
        method: 'POST',
        url: TOKEN,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(client.id, client.secret),
        },
        payload: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: client.id,
          client_secret: client.secret,
        }).toString(),
      });
      assert.equal(both.statusCode, 400);
      assert.equal(both.json().error, 'invalid_request');

      // client_secret_basic is decoded strictly: junk after a real credential is not that credential (issue 10).
      for (const junk of ['!!!', '==xyz', '*']) {
        const r = await h.app.inject({
          method: 'POST',
          url: TOKEN,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            authorization: `${basic(client.id, client.secret)}${junk}`,
          },
          payload: 'grant_type=client_credentials',
        });
        assert.equal(r.statusCode, 401, junk);
        assert.equal(r.json().error, 'invalid_client', junk);
      }

      // A client secret is a password: not over plain HTTP from another machine.
      const remote = await h.app.inject({
        method: 'POST',
        url: TOKEN,
        remoteAddress: '203.0.113.5',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(client.id, client.secret),
        },
        payload: 'grant_type=client_credentials',
      });
      assert.equal(remote.statusCode, 400);
      assert.equal(remote.json().error, 'invalid_request');
      assert.doesNotMatch(remote.body, /access_token/);

      const json = await h.app.inject({
        method: 'POST',
        url: TOKEN,
        headers: { 'content-type': 'application/json', authorization: basic(client.id, client.secret) },
        payload: JSON.stringify({ grant_type: 'client_credentials' }),
      });
      // The endpoint takes forms only (RFC 6749 §4.4.2): any other media type is 415 before the body is read,
      // still with an RFC 6749 body.
      assert.equal(json.statusCode, 415);
      assert.equal(json.json().error, 'invalid_request');

      const badScope = await form(h, TOKEN, { grant_type: 'client_credentials', scope: 'a"b' }, client);
      assert.equal(badScope.statusCode, 400);
      assert.equal(badScope.json().error, 'invalid_scope');

      // client_secret_post works too, and the secret never shows up in any response.
      const post = await form(h, TOKEN, {
        grant_type: 'client_credentials',
        client_id: client.id,
        client_secret: client.secret,
      });
      assert.equal(post.statusCode, 200);
      assert.equal(post.headers['cache-control'], 'no-store');
      assert.equal(post.headers.pragma, 'no-cache');
      assert.deepEqual(Object.keys(post.json()), ['access_token', 'scope', 'token_type', 'expires_in']);
      for (const r of [wrong, post]) assert.doesNotMatch(r.body, new RegExp(client.secret));
    } finally {
      await h.close();
    }
  });

  test(`a disabled grant is rejected and not advertised (${d.name})`, async () => {
    const h = await kmHarness(await d.open(), { toml: '[oauth.grant_type.password]\nenable=false\n' });
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const keys = await generateKeys(h, admin, await createApp(h, admin, 'NoPassword'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const res = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: ADMIN.username, password: ADMIN.password },
        client,
      );
      assert.equal(res.statusCode, 400);
      assert.equal(res.json().error, 'unsupported_grant_type');
      const md = await h.app.inject({ method: 'GET', url: '/oauth2/token/.well-known/openid-configuration' });
      assert.deepEqual(md.json().grant_types_supported, ['client_credentials', 'refresh_token']);
      const kms = await h.app.inject({
        method: 'GET',
        url: `${DP}/key-managers`,
        headers: { authorization: admin },
      });
      assert.deepEqual(kms.json().list[0].availableGrantTypes, ['client_credentials', 'refresh_token']);
      const cc = await form(h, TOKEN, { grant_type: 'client_credentials' }, client);
      assert.equal(cc.statusCode, 200);
    } finally {
      await h.close();
    }
  });

  test(`validity: negative never expires, positive sets exp - iat (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const appId = await createApp(h, admin, 'Validity');
      const keys = await generateKeys(h, admin, appId, { validityTime: '-1' });
      assert.ok(keys.token);
      assert.equal(jwtPart(keys.token.accessToken, 1).exp, undefined);
      assert.equal(keys.token.validityTime, 2147483647);

      const gen = (validityPeriod: number) =>
        dpPost(h, admin, `/applications/${appId}/oauth-keys/${keys.keyMappingId}/generate-token`, {
          consumerSecret: keys.consumerSecret,
          validityPeriod,
          scopes: [],
        });
      const never = await gen(-1);
      assert.equal(never.statusCode, 200, never.body);
      assert.deepEqual(Object.keys(never.json()), ['accessToken', 'tokenScopes', 'validityTime']);
      const neverClaims = jwtPart(never.json().accessToken, 1);
      assert.equal(neverClaims.exp, undefined);
      assert.ok(!('exp' in neverClaims));
      assert.equal(never.json().validityTime, 2147483647);

      const hour = await gen(3600);
      const c = jwtPart(hour.json().accessToken, 1);
      assert.equal((c.exp as number) - (c.iat as number), 3600);
      assert.equal(hour.json().validityTime, 3600);
      assert.deepEqual(hour.json().tokenScopes, ['default']);

      const short = await gen(120);
      const s = jwtPart(short.json().accessToken, 1);
      assert.equal((s.exp as number) - (s.iat as number), 120);

      const wrongSecret = await dpPost(
        h,
        admin,
        `/applications/${appId}/oauth-keys/${keys.keyMappingId}/generate-token`,
        {
          consumerSecret: 'not-the-secret',
          validityPeriod: 3600,
        },
      );
      assert.equal(wrongSecret.statusCode, 400);
      assert.equal(wrongSecret.json().errorCode, 'INVALID_CONSUMER_SECRET');

      // revokeToken revokes the previous token of the same client.
      const prev = hour.json().accessToken as string;
      const before = await form(
        h,
        '/oauth2/introspect',
        { token: prev },
        { id: ADMIN.username, secret: ADMIN.password },
      );
      assert.equal(before.json().active, true);
      const again = await dpPost(
        h,
        admin,
        `/applications/${appId}/oauth-keys/${keys.keyMappingId}/generate-token`,
        {
          consumerSecret: keys.consumerSecret,
          validityPeriod: 3600,
          revokeToken: prev,
        },
      );
      assert.equal(again.statusCode, 200);
      const after = await form(
        h,
        '/oauth2/introspect',
        { token: prev },
        { id: ADMIN.username, secret: ADMIN.password },
      );
      assert.deepEqual(after.json(), { active: false });
    } finally {
      await h.close();
    }
  });

  test(`scopes: roles decide REST and API resource scopes (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const now = Date.now();
      await rawDb(h.store)
        .insertInto('apis')
        .values({
          id: 'api-1',
          name: 'PizzaShackAPI',
          context: '/pizzashack',
          version: '1.0.0',
          provider: 'admin',
          lifecycle: 'PUBLISHED',
          definition: JSON.stringify({
            name: 'PizzaShackAPI',
            scopes: [
              { scope: { name: 'order_pizza', bindings: ['admin'] }, shared: false },
              { scope: { name: 'read_menu', bindings: [] }, shared: false },
              { scope: { name: 'subscriber_only', bindings: ['Internal/subscriber'] }, shared: false },
            ],
          }),
          created_at: now,
          updated_at: now,
        })
        .execute();
      const alice = await userAuth(h, 'alice', ['subscriber']);
      const keys = await generateKeys(h, alice, await createApp(h, alice, 'Scopes'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const asked = 'apim:api_create apim:subscribe order_pizza read_menu subscriber_only unknown_scope';

      const res = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: 'alice', password: 'alice-password-1', scope: asked },
        client,
      );
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().scope, 'apim:subscribe read_menu subscriber_only default');
      const claims = jwtPart(res.json().access_token, 1);
      assert.equal(claims.sub, 'alice');
      assert.equal(claims.aut, 'APPLICATION_USER');
      assert.equal(claims.scope, 'apim:subscribe read_menu subscriber_only default');
      assert.equal(typeof res.json().refresh_token, 'string');

      const admin = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: ADMIN.username, password: ADMIN.password, scope: asked },
        client,
      );
      assert.equal(admin.json().scope, 'apim:api_create apim:subscribe order_pizza read_menu default');

      // client_credentials: the application owner's roles apply.
      const cc = await form(h, TOKEN, { grant_type: 'client_credentials', scope: asked }, client);
      assert.equal(cc.json().scope, 'apim:subscribe read_menu subscriber_only default');

      const badUser = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: 'alice', password: 'wrong-password' },
        client,
      );
      assert.equal(badUser.statusCode, 400);
      assert.deepEqual(badUser.json(), {
        error: 'invalid_grant',
        error_description: 'Invalid resource owner credentials',
      });
      const noUser = await form(h, TOKEN, { grant_type: 'password' }, client);
      assert.equal(noUser.json().error, 'invalid_request');
    } finally {
      await h.close();
    }
  });

  test(`REST APIs accept bearer tokens with apim:* scopes only (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const bob = await userAuth(h, 'bob', ['subscriber']);
      const keys = await generateKeys(h, bob, await createApp(h, bob, 'RestClient'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const token = async (scope: string) =>
        (
          await form(
            h,
            TOKEN,
            { grant_type: 'password', username: 'bob', password: 'bob-password-1', scope },
            client,
          )
        ).json().access_token as string;
      const get = (t: string) =>
        h.app.inject({ method: 'GET', url: `${DP}/applications`, headers: { authorization: `Bearer ${t}` } });

      const ok = await get(await token('apim:subscribe'));
      assert.equal(ok.statusCode, 200, ok.body);
      assert.deepEqual(
        ok
          .json()
          .list.map((a: { name: string }) => a.name)
          .sort(),
        ['DefaultApplication', 'RestClient'],
      );
      const noScope = await get(await token('default'));
      assert.equal(noScope.statusCode, 403);
      assert.equal(noScope.json().errorCode, 'INSUFFICIENT_SCOPE');
      const garbage = await get('not.a.token');
      assert.equal(garbage.statusCode, 401);
      // Buffer.from(s, 'base64url') skipped the junk: these were all accepted as the real token (issue 10).
      const real = await token('apim:subscribe');
      for (const junk of [
        `${real}!!!`,
        `${real}==`,
        `${real}garbage`,
        `${real.slice(0, -9)}*${real.slice(-9)}`,
      ]) {
        const r = await get(junk);
        assert.equal(r.statusCode, 401, junk.slice(-12));
        assert.equal(r.json().errorCode, 'UNAUTHENTICATED');
      }

      // A revoked token stops working at once.
      const t = await token('apim:subscribe');
      const rev = await form(h, '/oauth2/revoke', { token: t }, client);
      assert.equal(rev.statusCode, 200);
      assert.equal((await get(t)).statusCode, 401);

      // Deleting the keys ends every token they issued.
      const live = await token('apim:subscribe');
      assert.equal((await get(live)).statusCode, 200);
      const appId = ok.json().list.find((a: { name: string }) => a.name === 'RestClient').applicationId;
      const del = await h.app.inject({
        method: 'DELETE',
        url: `${DP}/applications/${appId}/oauth-keys/${keys.keyMappingId}`,
        headers: { authorization: bob },
      });
      assert.equal(del.statusCode, 200);
      assert.equal((await get(live)).statusCode, 401);
    } finally {
      await h.close();
    }
  });

  test(`refresh tokens rotate; reuse revokes the whole family (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const keys = await generateKeys(h, admin, await createApp(h, admin, 'Refresh'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const first = await form(
        h,
        TOKEN,
        {
          grant_type: 'password',
          username: ADMIN.username,
          password: ADMIN.password,
          scope: 'apim:subscribe',
        },
        client,
      );
      assert.equal(first.statusCode, 200);
      assert.deepEqual(Object.keys(first.json()), [
        'access_token',
        'refresh_token',
        'scope',
        'token_type',
        'expires_in',
      ]);
      const r1 = first.json().refresh_token as string;

      const second = await form(h, TOKEN, { grant_type: 'refresh_token', refresh_token: r1 }, client);
      assert.equal(second.statusCode, 200, second.body);
      assert.equal(second.json().scope, 'apim:subscribe default');
      const r2 = second.json().refresh_token as string;
      assert.notEqual(r2, r1);
      assert.equal(jwtPart(second.json().access_token, 1).aut, 'APPLICATION_USER');

      // Narrowing is allowed, widening is not.
      const wider = await form(
        h,
        TOKEN,
        { grant_type: 'refresh_token', refresh_token: r2, scope: 'apim:admin' },
        client,
      );
      assert.equal(wider.json().error, 'invalid_scope');

      const reuse = await form(h, TOKEN, { grant_type: 'refresh_token', refresh_token: r1 }, client);
      assert.equal(reuse.statusCode, 400);
      assert.equal(reuse.json().error, 'invalid_grant');
      const newest = await form(h, TOKEN, { grant_type: 'refresh_token', refresh_token: r2 }, client);
      assert.equal(newest.statusCode, 400);
      assert.equal(newest.json().error, 'invalid_grant');

      // Refresh tokens are stored hashed only.
      const rows = await rawDb(h.store).selectFrom('refresh_tokens').selectAll().execute();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.revoked === 1));
      assert.doesNotMatch(JSON.stringify(rows), new RegExp(`${r1}|${r2}`));

      // Another client cannot use (or revoke) this client's refresh token.
      const other = await generateKeys(h, admin, await createApp(h, admin, 'Other'));
      const fresh = (
        await form(
          h,
          TOKEN,
          { grant_type: 'password', username: ADMIN.username, password: ADMIN.password },
          client,
        )
      ).json();
      const stolen = await form(
        h,
        TOKEN,
        { grant_type: 'refresh_token', refresh_token: fresh.refresh_token },
        { id: other.consumerKey, secret: other.consumerSecret },
      );
      assert.equal(stolen.json().error, 'invalid_grant');
      const ok = await form(
        h,
        TOKEN,
        { grant_type: 'refresh_token', refresh_token: fresh.refresh_token },
        client,
      );
      assert.equal(ok.statusCode, 200);
    } finally {
      await h.close();
    }
  });

  test(`revoke (RFC 7009) and introspect (RFC 7662) (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const deltas = h.recordDeltas();
      const revocations = async () => (await deltas.all()).filter((d) => d.kind === 'revocation');
      const admin = basic(ADMIN.username, ADMIN.password);
      const keys = await generateKeys(h, admin, await createApp(h, admin, 'Revoke'));
      const other = await generateKeys(h, admin, await createApp(h, admin, 'Revoke2'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const otherClient = { id: other.consumerKey, secret: other.consumerSecret };
      const tok = (await form(h, TOKEN, { grant_type: 'client_credentials' }, client)).json()
        .access_token as string;
      const adminCreds = { id: ADMIN.username, secret: ADMIN.password };

      const intro = await form(h, '/oauth2/introspect', { token: tok }, adminCreds);
      assert.equal(intro.statusCode, 200);
      const c = jwtPart(tok, 1);
      assert.deepEqual(intro.json(), {
        active: true,
        scope: 'default',
        client_id: keys.consumerKey,
        username: 'admin',
        token_type: 'Bearer',
        exp: c.exp,
        iat: c.iat,
        nbf: c.nbf,
        sub: 'admin',
        aud: keys.consumerKey,
        iss: 'https://localhost:9443/oauth2/token',
        jti: c.jti,
      });
      assert.equal((await form(h, '/oauth2/introspect', { token: tok }, client)).json().active, true);
      for (const junk of [`${tok}!!!`, `${tok}==`, `${tok}xyz`]) {
        const r = await form(h, '/oauth2/introspect', { token: junk }, adminCreds);
        assert.deepEqual(r.json(), { active: false }, 'a misspelled token is not the token');
      }
      assert.deepEqual((await form(h, '/oauth2/introspect', { token: tok }, otherClient)).json(), {
        active: false,
      });
      const sub = await userAuth(h, 'sue', ['subscriber']);
      void sub;
      const notAdmin = await form(
        h,
        '/oauth2/introspect',
        { token: tok },
        { id: 'sue', secret: 'sue-password-1' },
      );
      assert.equal(notAdmin.statusCode, 401);
      assert.equal((await form(h, '/oauth2/introspect', { token: tok })).statusCode, 401);

      // Unauthenticated revoke: 401; another client's token: 200 but nothing happens.
      assert.equal((await form(h, '/oauth2/revoke', { token: tok })).statusCode, 401);
      const foreign = await form(h, '/oauth2/revoke', { token: tok }, otherClient);
      assert.equal(foreign.statusCode, 200);
      assert.equal(foreign.body, '');
      assert.equal((await form(h, '/oauth2/introspect', { token: tok }, adminCreds)).json().active, true);
      assert.equal((await revocations()).length, 0);

      const rev = await form(h, '/oauth2/revoke', { token: tok, token_type_hint: 'access_token' }, client);
      assert.equal(rev.statusCode, 200);
      assert.equal(rev.body, '');
      assert.deepEqual((await form(h, '/oauth2/introspect', { token: tok }, adminCreds)).json(), {
        active: false,
      });
      const row = await rawDb(h.store)
        .selectFrom('revoked_tokens')
        .selectAll()
        .where('jti', '=', String(c.jti))
        .executeTakeFirst();
      assert.equal(row?.expires_at, (c.exp as number) * 1000);
      assert.equal(row?.consumer_key, keys.consumerKey);
      assert.deepEqual(
        (await revocations()).map((d) => [d.key, d.kind === 'revocation' && d.exp]),
        [[c.jti, c.exp]],
      );
      // The gateway snapshot carries the revoked jti.
      const snap = await h.ctx.snapshots.rebuild();
      assert.ok(snap.revokedTokens.some((r) => r.jti === c.jti));

      // Unknown and garbage tokens: still 200 with an empty body.
      for (const token of ['unknown-token', 'a.b.c']) {
        const r = await form(h, '/oauth2/revoke', { token }, client);
        assert.equal(r.statusCode, 200);
        assert.equal(r.body, '');
      }
      assert.equal((await form(h, '/oauth2/revoke', {}, client)).json().error, 'invalid_request');

      // Refresh token revocation.
      const pw = (
        await form(
          h,
          TOKEN,
          { grant_type: 'password', username: ADMIN.username, password: ADMIN.password },
          client,
        )
      ).json();
      assert.equal(
        (await form(h, '/oauth2/introspect', { token: pw.refresh_token }, client)).json().token_type,
        'Refresh',
      );
      assert.equal((await form(h, '/oauth2/revoke', { token: pw.refresh_token }, client)).statusCode, 200);
      const dead = await form(
        h,
        TOKEN,
        { grant_type: 'refresh_token', refresh_token: pw.refresh_token },
        client,
      );
      assert.equal(dead.json().error, 'invalid_grant');

      const jwks = await h.app.inject({ method: 'GET', url: '/oauth2/jwks' });
      assert.equal(jwks.statusCode, 200);
      const [key] = jwks.json().keys;
      assert.equal(key.kid, jwtPart(tok, 0).kid);
      assert.equal(key.alg, 'RS256');
      assert.equal(key.use, 'sig');
      assert.equal(key.d, undefined);
    } finally {
      await h.close();
    }
  });

  test(`client registration (DCR v0.17) for REST clients (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const carol = await userAuth(h, 'carol', ['subscriber']);
      const body = {
        callbackUrl: 'www.google.lk',
        clientName: 'rest_api_devportal',
        owner: 'carol',
        grantType: 'client_credentials password refresh_token',
        saasApp: true,
      };
      const res = await h.app.inject({
        method: 'POST',
        url: '/client-registration/v0.17/register',
        headers: { authorization: carol, 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(Object.keys(r), [
        'clientId',
        'clientName',
        'callBackURL',
        'clientSecret',
        'isSaasApplication',
        'appOwner',
        'jsonString',
        'jsonAppAttribute',
        'tokenType',
      ]);
      assert.match(r.clientId, /^[A-Za-z0-9_]{27}a$/);
      assert.match(r.clientSecret, /^[A-Za-z0-9_]{27}a$/);
      assert.equal(r.appOwner, 'carol');
      assert.equal(r.callBackURL, 'www.google.lk');
      const tok = await form(
        h,
        TOKEN,
        {
          grant_type: 'password',
          username: 'carol',
          password: 'carol-password-1',
          scope: 'apim:subscribe apim:app_manage',
        },
        { id: r.clientId, secret: r.clientSecret },
      );
      assert.equal(tok.json().scope, 'apim:subscribe apim:app_manage default');

      const row = await rawDb(h.store)
        .selectFrom('oauth_clients')
        .selectAll()
        .where('client_id', '=', r.clientId)
        .executeTakeFirstOrThrow();
      assert.doesNotMatch(JSON.stringify(row), new RegExp(r.clientSecret));

      const noAuth = await h.app.inject({
        method: 'POST',
        url: '/client-registration/v0.17/register',
        headers: { 'content-type': 'application/json' },
        payload: JSON.stringify(body),
      });
      assert.equal(noAuth.statusCode, 401);
      const forOther = await h.app.inject({
        method: 'POST',
        url: '/client-registration/v0.17/register',
        headers: { authorization: carol, 'content-type': 'application/json' },
        payload: JSON.stringify({ ...body, owner: 'admin' }),
      });
      assert.equal(forOther.statusCode, 403);
      const count = async () =>
        (await rawDb(h.store).selectFrom('oauth_clients').select('client_id').execute()).length;
      const before = await count();
      for (const bad of [
        '{"clientName":',
        JSON.stringify({ owner: 'carol' }),
        JSON.stringify({ ...body, grantType: 'implicit' }),
      ]) {
        const b = await h.app.inject({
          method: 'POST',
          url: '/client-registration/v0.17/register',
          headers: { authorization: carol, 'content-type': 'application/json' },
          payload: bad,
        });
        assert.equal(b.statusCode, 400, bad);
        assert.ok(['VALIDATION_FAILED', 'BAD_REQUEST'].includes(b.json().errorCode));
      }
      assert.equal(await count(), before);
    } finally {
      await h.close();
    }
  });
}
