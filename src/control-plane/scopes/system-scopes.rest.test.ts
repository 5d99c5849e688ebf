import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects, type TestDialect } from '../../../test/support/dialects.js';
import { basic, createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { dumpDatabase } from '../../../test/support/full-control-plane.js';
import { createApp, form, generateKeys, KM_MODULES } from '../../../test/conformance/oauth2-fixtures.js';
import { systemClock } from '../../core/index.js';
import { accessTokenVerifier } from '../oauth2/index.js';
import { publisherRoutes } from '../publisher/index.js';
import { adminAuth, apiBody, PUB } from '../publisher/test-support/publisher-fixtures.js';
import { createSystemScopes } from './system-scopes.js';
import { systemScopeRoutes } from './system-scope-routes.js';

const SYS = '/api/am/admin/v4/system-scopes';
const TOML = '[user_store]\ncustom_roles = ["api-designers", "gold-partners"]\n';
const b64 = (s: string) => Buffer.from(s).toString('base64url');

async function harness(d: TestDialect): Promise<Harness> {
  const h = await createHarness(await d.open(), [...KM_MODULES, publisherRoutes(), systemScopeRoutes], {
    toml: TOML,
  });
  h.cp.setTokenVerifier(accessTokenVerifier(h.ctx));
  return h;
}

async function user(h: Harness, name: string, roles: string[]) {
  await h.ctx.users.create(name, `${name}-password-1`, roles);
  return { name, auth: basic(name, `${name}-password-1`) };
}

const put = (h: Harness, url: string, payload: unknown) =>
  h.app.inject({ method: 'PUT', url, headers: adminAuth, payload: payload as object });

const createApi = (h: Harness, authorization: string, n: number) =>
  h.app.inject({
    method: 'POST',
    url: `${PUB}/apis`,
    headers: { authorization },
    payload: apiBody({ name: `Api${n}`, context: `/api-${n}` }),
  });

for (const d of await testDialects()) {
  test(`system scopes on ${d.name}: the role table and role aliases decide REST access and token grants, persisted`, async () => {
    const h = await harness(d);
    try {
      const list = await h.app.inject({ url: SYS, headers: adminAuth });
      assert.equal(list.statusCode, 200, list.body);
      const create = list.json().list.find((s: { name: string }) => s.name === 'apim:api_create');
      assert.deepEqual(create, {
        tag: 'publisher',
        name: 'apim:api_create',
        description: 'Create API',
        roles: ['admin', 'Internal/creator'],
      });
      assert.equal(list.json().count, list.json().list.length);

      const carol = await user(h, 'carol', ['creator', 'subscriber']);
      const dana = await user(h, 'dana', ['api-designers']);
      assert.equal((await createApi(h, carol.auth, 1)).statusCode, 201);
      assert.equal((await createApi(h, dana.auth, 2)).statusCode, 403, 'a custom role holds no REST scope');

      // A token for carol holding apim:api_create, then the mapping changes: the token loses the scope at once.
      const keys = await generateKeys(h, carol.auth, await createApp(h, carol.auth, 'CarolApp'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const password = { grant_type: 'password', username: 'carol', password: 'carol-password-1' };
      const tok = await form(
        h,
        '/oauth2/token',
        { ...password, scope: 'apim:api_create apim:admin' },
        client,
      );
      assert.equal(tok.statusCode, 200, tok.body);
      assert.equal(tok.json().scope, 'apim:api_create default', 'the permitted subset, not 400');
      const bearer = `Bearer ${tok.json().access_token}`;
      assert.equal((await createApi(h, bearer, 3)).statusCode, 201);

      const changed = await put(h, SYS, { list: [{ name: 'apim:api_create', roles: ['admin'] }] });
      assert.equal(changed.statusCode, 200, changed.body);
      assert.deepEqual(
        changed.json().list.find((s: { name: string }) => s.name === 'apim:api_create').roles,
        ['admin'],
      );
      assert.deepEqual(
        changed.json().list.find((s: { name: string }) => s.name === 'apim:api_delete').roles,
        ['admin', 'Internal/creator'],
        'scopes not in the body keep their roles',
      );
      for (const auth of [carol.auth, bearer]) {
        const r = await createApi(h, auth, 4);
        assert.equal(r.statusCode, 403, r.body);
        assert.equal(r.json().code, 900910);
        assert.equal(r.json().errorCode, 'INSUFFICIENT_SCOPE');
      }
      const again = await form(h, '/oauth2/token', { ...password, scope: 'apim:api_create' }, client);
      assert.equal(again.json().scope, 'default');

      // Role aliases: api-designers counts as Internal/creator.
      assert.equal(
        (await put(h, SYS, { list: [{ name: 'apim:api_create', roles: ['admin', 'Internal/creator'] }] }))
          .statusCode,
        200,
      );
      const aliases = await put(h, `${SYS}/role-aliases`, {
        count: 1,
        list: [{ role: 'Internal/creator', aliases: ['api-designers'] }],
      });
      assert.equal(aliases.statusCode, 200, aliases.body);
      assert.deepEqual(aliases.json(), {
        count: 1,
        list: [{ role: 'Internal/creator', aliases: ['api-designers'] }],
      });
      assert.equal((await createApi(h, dana.auth, 5)).statusCode, 201, 'the alias grants the scope');
      assert.equal((await createApi(h, carol.auth, 6)).statusCode, 201);
      const got = await h.app.inject({ url: `${SYS}/role-aliases`, headers: adminAuth });
      assert.deepEqual(got.json(), aliases.json());

      // Does a user hold a scope: the name base64url-encoded, as WSO2 takes it.
      const holds = await h.app.inject({
        url: `${SYS}/${b64('apim:api_create')}?username=dana`,
        headers: adminAuth,
      });
      assert.equal(holds.statusCode, 200, holds.body);
      assert.deepEqual(holds.json(), { name: 'apim:api_create' });
      const not = await h.app.inject({
        url: `${SYS}/${b64('apim:admin')}?username=dana`,
        headers: adminAuth,
      });
      assert.equal(not.statusCode, 404);
      assert.equal(not.json().code, 901500);
      const self = await h.app.inject({ url: `${SYS}/${b64('apim:admin')}`, headers: adminAuth });
      assert.equal(self.statusCode, 200, 'without username: the caller');
      const nobody = await h.app.inject({
        url: `${SYS}/${b64('apim:admin')}?username=ghost`,
        headers: adminAuth,
      });
      assert.equal(nobody.statusCode, 404);

      // Persisted: a fresh reader of the same store sees what the admin set.
      const fresh = createSystemScopes(h.store, systemClock);
      assert.equal(await fresh.allows('apim:api_create', ['api-designers']), true);
      assert.deepEqual(await fresh.aliases(), [{ role: 'Internal/creator', aliases: ['api-designers'] }]);
    } finally {
      await h.close();
    }
  });

  test(`system scopes on ${d.name}: bad tables are 400 INVALID_SCOPE and write nothing; only admins manage them`, async () => {
    const h = await harness(d);
    try {
      const carol = await user(h, 'carol', ['creator']);
      const before = await dumpDatabase(h.store);
      for (const [url, body, code] of [
        [SYS, { list: [{ name: 'apim:nope', roles: ['admin'] }] }, 909560],
        [SYS, { list: [{ name: 'apim:admin', roles: ['Internal/creator'] }] }, 909560],
        [SYS, { list: [{ name: 'apim:api_view', roles: ['has space'] }] }, 909560],
        [SYS, { list: [{ name: 'apim:api_view', roles: ['ünï'] }] }, 909560],
        [
          SYS,
          {
            list: [
              { name: 'apim:api_view', roles: [] },
              { name: 'apim:api_view', roles: ['admin'] },
            ],
          },
          909560,
        ],
        [SYS, { list: [{ name: 'apim:api_view' }] }, 909001],
        [SYS, { list: 'apim:api_view' }, 909001],
        [
          SYS,
          { list: [{ name: 'apim:api_view', roles: Array.from({ length: 101 }, (_, i) => `r${i}`) }] },
          909001,
        ],
        [`${SYS}/role-aliases`, { list: [{ role: 'bad role', aliases: [] }] }, 909560],
        [`${SYS}/role-aliases`, { list: [{ role: 'Internal/creator', aliases: ['a b'] }] }, 909560],
        [`${SYS}/role-aliases`, {}, 909001],
      ] as const) {
        const r = await put(h, url, body);
        assert.equal(r.statusCode, 400, `${JSON.stringify(body).slice(0, 100)}: ${r.body}`);
        assert.equal(r.json().code, code, r.body);
      }
      const denied = await h.app.inject({
        method: 'PUT',
        url: SYS,
        headers: { authorization: carol.auth },
        payload: { list: [{ name: 'apim:admin', roles: ['admin', 'Internal/creator'] }] },
      });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().code, 900910);
      assert.equal(
        (await h.app.inject({ url: SYS, headers: { authorization: carol.auth } })).statusCode,
        403,
      );
      assert.equal((await h.app.inject({ url: SYS })).statusCode, 401);
      const bad = await h.app.inject({ url: `${SYS}/not*b64`, headers: adminAuth });
      assert.equal(bad.statusCode, 404);
      assert.deepEqual(await dumpDatabase(h.store), before, 'nothing written');
    } finally {
      await h.close();
    }
  });
}
