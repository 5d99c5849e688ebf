import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic, type Harness } from '../support/control-plane-harness.js';
import { DP, dpPost, form, generateKeys, kmHarness } from './oauth2-fixtures.js';
import { rawDb } from '../support/raw-db.js';
import { opaqueKeyHash } from '../../src/crypto/index.js';

const TOKEN = '/oauth2/token';
/** 32 random bytes, unpadded base64url (ADR 0006). */
const OPAQUE = /^[A-Za-z0-9_-]{43}$/;

async function createApp(h: Harness, auth: string, name: string, tokenType?: string) {
  const res = await dpPost(h, auth, '/applications', {
    name,
    throttlingPolicy: 'Unlimited',
    ...(tokenType ? { tokenType } : {}),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json<{ applicationId: string; tokenType: string }>();
}

async function getApp(h: Harness, auth: string, id: string) {
  const r = await h.app.inject({
    method: 'GET',
    url: `${DP}/applications/${id}`,
    headers: { authorization: auth },
  });
  assert.equal(r.statusCode, 200, r.body);
  return r.json<{ tokenType: string; name: string }>();
}

for (const d of await testDialects()) {
  test(`tokenType OAUTH is stored and round-trips on create and update; others are 400 (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const created = await createApp(h, admin, 'Legacy', 'OAUTH');
      assert.equal(created.tokenType, 'OAUTH');
      assert.equal((await getApp(h, admin, created.applicationId)).tokenType, 'OAUTH');
      const jwtApp = await createApp(h, admin, 'Modern');
      assert.equal(jwtApp.tokenType, 'JWT');

      const put = async (id: string, body: Record<string, unknown>) =>
        h.app.inject({
          method: 'PUT',
          url: `${DP}/applications/${id}`,
          headers: { authorization: admin, 'content-type': 'application/json' },
          payload: JSON.stringify({ throttlingPolicy: 'Unlimited', ...body }),
        });
      // Without tokenType the type is kept; with one it changes (OAUTH → JWT is WSO2's "upgrade to JWT").
      assert.equal((await put(created.applicationId, { name: 'Legacy2' })).json().tokenType, 'OAUTH');
      assert.equal((await getApp(h, admin, created.applicationId)).name, 'Legacy2');
      assert.equal(
        (await put(created.applicationId, { name: 'Legacy2', tokenType: 'JWT' })).json().tokenType,
        'JWT',
      );
      assert.equal(
        (await put(jwtApp.applicationId, { name: 'Modern', tokenType: 'OAUTH' })).json().tokenType,
        'OAUTH',
      );

      for (const tokenType of ['OPAQUE', 'oauth', '', 1]) {
        const bad = await dpPost(h, admin, '/applications', {
          name: 'x',
          throttlingPolicy: 'Unlimited',
          tokenType,
        });
        assert.equal(bad.statusCode, 400, String(tokenType));
        assert.equal(bad.json().errorCode, 'VALIDATION_FAILED');
        const badPut = await put(jwtApp.applicationId, { name: 'Modern', tokenType });
        assert.equal(badPut.statusCode, 400, String(tokenType));
      }
      assert.equal((await getApp(h, admin, jwtApp.applicationId)).tokenType, 'OAUTH');
    } finally {
      await h.close();
    }
  });

  test(`an OAUTH application gets opaque tokens for every grant, stored as an HMAC only, pushed as accesstoken deltas (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const deltas = h.recordDeltas();
      const admin = basic(ADMIN.username, ADMIN.password);
      const app = await createApp(h, admin, 'Legacy', 'OAUTH');
      const keys = await generateKeys(h, admin, app.applicationId, {
        validityTime: 600,
        scopes: ['default'],
      });
      // generate-keys' own token follows the application's type and validity.
      assert.match(keys.token!.accessToken, OPAQUE);
      assert.equal(keys.token!.validityTime, 600);
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };

      const cc = await form(h, TOKEN, { grant_type: 'client_credentials' }, client);
      assert.equal(cc.statusCode, 200, cc.body);
      assert.deepEqual(Object.keys(cc.json()), ['access_token', 'scope', 'token_type', 'expires_in']);
      const tok = cc.json().access_token as string;
      assert.match(tok, OPAQUE);
      assert.ok(!tok.includes('.'), 'not a JWT');
      assert.equal(cc.json().expires_in, 3600);
      assert.equal(cc.json().token_type, 'Bearer');
      assert.equal(cc.headers['cache-control'], 'no-store');

      const pw = await form(
        h,
        TOKEN,
        { grant_type: 'password', username: ADMIN.username, password: ADMIN.password },
        client,
      );
      assert.equal(pw.statusCode, 200, pw.body);
      assert.match(pw.json().access_token, OPAQUE);
      assert.ok(pw.json().refresh_token);
      const refreshed = await form(
        h,
        TOKEN,
        { grant_type: 'refresh_token', refresh_token: pw.json().refresh_token },
        client,
      );
      assert.equal(refreshed.statusCode, 200, refreshed.body);
      assert.match(refreshed.json().access_token, OPAQUE);
      const tokens = [keys.token!.accessToken, tok, pw.json().access_token, refreshed.json().access_token];
      assert.equal(new Set(tokens).size, 4);

      // Stored rows: no column holds the token or any 16-character piece of it.
      const rows = await rawDb(h.store)
        .selectFrom('access_tokens')
        .selectAll()
        .orderBy('issued_at')
        .execute();
      assert.equal(rows.length, 4);
      for (const row of rows) {
        for (const [col, v] of Object.entries(row)) {
          for (const t of tokens) {
            for (let i = 0; i + 16 <= t.length; i += 9) {
              assert.ok(!String(v).includes(t.slice(i, i + 16)), `column ${col} holds no part of a token`);
            }
          }
        }
        assert.match(row.token_hash, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(row.client_id, keys.consumerKey);
        assert.equal(row.key_type, 'PRODUCTION');
        assert.equal(row.revoked_at, null);
      }
      const byAut = rows.map((r) => [r.aut, r.username, Number(r.expires_at) - Number(r.issued_at)]);
      assert.deepEqual(byAut, [
        ['APPLICATION', 'admin', 600_000],
        ['APPLICATION', 'admin', 3_600_000],
        ['APPLICATION_USER', 'admin', 3_600_000],
        ['APPLICATION_USER', 'admin', 3_600_000],
      ]);

      // Every token reached the change log as an accesstoken delta carrying its HMAC, never the token.
      const tokenDeltas = (await deltas.all()).filter((x) => x.kind === 'accesstoken');
      assert.equal(tokenDeltas.length, 4);
      for (const x of tokenDeltas) {
        assert.ok(x.kind === 'accesstoken' && x.token !== null);
        for (const t of tokens) assert.ok(!JSON.stringify(x).includes(t));
      }
      const snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(snap.accessTokens?.map((t) => t.hash).sort(), rows.map((r) => r.token_hash).sort());
    } finally {
      await h.close();
    }
  });

  test(`opaque tokens: negative validity never expires; revoke (RFC 7009) and introspect (RFC 7662) (${d.name})`, async () => {
    const h = await kmHarness(await d.open(), {
      toml: '[oauth.token_validation]\napp_access_token_validity = -1\n',
    });
    try {
      const deltas = h.recordDeltas();
      const admin = basic(ADMIN.username, ADMIN.password);
      const app = await createApp(h, admin, 'Legacy', 'OAUTH');
      const keys = await generateKeys(h, admin, app.applicationId);
      const other = await generateKeys(h, admin, (await createApp(h, admin, 'Other', 'OAUTH')).applicationId);
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const otherClient = { id: other.consumerKey, secret: other.consumerSecret };
      const adminCreds = { id: ADMIN.username, secret: ADMIN.password };

      const cc = (await form(h, TOKEN, { grant_type: 'client_credentials' }, client)).json();
      assert.equal(cc.expires_in, 2147483647, 'never expires: WSO2 reports the largest int32');
      const tok = cc.access_token as string;
      const row = await rawDb(h.store)
        .selectFrom('access_tokens')
        .selectAll()
        // The stored hash is the HMAC-SHA-256 of the token under the deployment's hash secret.
        .where('token_hash', '=', opaqueKeyHash(h.ctx.apiKeyHashSecret, tok))
        .executeTakeFirstOrThrow();
      assert.equal(row.expires_at, null);

      const intro = await form(h, '/oauth2/introspect', { token: tok }, adminCreds);
      assert.equal(intro.statusCode, 200);
      const iat = Math.floor(Number(row.issued_at) / 1000);
      assert.deepEqual(intro.json(), {
        active: true,
        scope: 'default',
        client_id: keys.consumerKey,
        username: 'admin',
        token_type: 'Bearer',
        iat,
        nbf: iat,
        sub: 'admin',
        aud: keys.consumerKey,
        iss: 'https://localhost:9443/oauth2/token',
        jti: row.token_id,
      });
      assert.equal((await form(h, '/oauth2/introspect', { token: tok }, client)).json().active, true);
      assert.deepEqual((await form(h, '/oauth2/introspect', { token: tok }, otherClient)).json(), {
        active: false,
      });
      const last = tok.at(-1) === 'A' ? 'E' : 'A';
      for (const junk of [
        `${tok.slice(0, -1)}${last}`,
        `${tok}=`,
        tok.slice(1),
        `${tok}A`,
        tok.toLowerCase(),
      ]) {
        assert.deepEqual((await form(h, '/oauth2/introspect', { token: junk }, adminCreds)).json(), {
          active: false,
        });
      }

      // Another client's revoke: 200, nothing revoked. The owner's: revoked, one accesstoken delta to null.
      assert.equal((await form(h, '/oauth2/revoke', { token: tok }, otherClient)).statusCode, 200);
      assert.equal((await form(h, '/oauth2/introspect', { token: tok }, adminCreds)).json().active, true);
      const before = (await deltas.all()).length;
      const rev = await form(h, '/oauth2/revoke', { token: tok, token_type_hint: 'access_token' }, client);
      assert.equal(rev.statusCode, 200);
      assert.equal(rev.body, '');
      assert.deepEqual((await form(h, '/oauth2/introspect', { token: tok }, adminCreds)).json(), {
        active: false,
      });
      const after = (await deltas.all()).slice(before);
      assert.deepEqual(
        after.map((x) => [x.kind, x.key, x.kind === 'accesstoken' ? x.token : 'n/a']),
        [['accesstoken', row.token_id, null]],
      );
      const stored = await rawDb(h.store)
        .selectFrom('access_tokens')
        .select('revoked_at')
        .where('token_id', '=', row.token_id)
        .executeTakeFirstOrThrow();
      assert.ok(stored.revoked_at !== null);
      assert.ok(!(await h.ctx.snapshots.rebuild()).accessTokens!.some((t) => t.id === row.token_id));
      // Revoking again is still 200 and records nothing.
      assert.equal((await form(h, '/oauth2/revoke', { token: tok }, client)).statusCode, 200);
      assert.equal((await deltas.all()).length, before + 1);
    } finally {
      await h.close();
    }
  });

  test(`a JWT application is unaffected: its tokens stay RS256 JWTs and no access_tokens row is written (${d.name})`, async () => {
    const h = await kmHarness(await d.open());
    try {
      const admin = basic(ADMIN.username, ADMIN.password);
      const app = await createApp(h, admin, 'Modern');
      const keys = await generateKeys(h, admin, app.applicationId);
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const tok = (await form(h, TOKEN, { grant_type: 'client_credentials' }, client)).json()
        .access_token as string;
      assert.equal(tok.split('.').length, 3);
      assert.equal(keys.token!.accessToken.split('.').length, 3);
      assert.equal((await rawDb(h.store).selectFrom('access_tokens').selectAll().execute()).length, 0);
    } finally {
      await h.close();
    }
  });
}
