import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic, createHarness, type Harness } from '../support/control-plane-harness.js';
import { dumpDatabase } from '../support/full-control-plane.js';
import { createApp, form, generateKeys, KM_MODULES } from '../conformance/oauth2-fixtures.js';
import { SCOPE_ROLES, userRoutes } from '../../src/control-plane/index.js';
import { MAX_REQUESTED_SCOPES } from '../../src/key-manager/scope-policy.js';
import { accessTokenVerifier } from '../../src/control-plane/oauth2/index.js';
import { publisherRoutes } from '../../src/control-plane/publisher/index.js';
import { systemScopeRoutes } from '../../src/control-plane/scopes/system-scope-routes.js';

/**
 * Issue 13, hostile scope input: scope strings with spaces, control characters, unicode and huge lists at the token
 * endpoint, the Publisher and the Admin; scope names that only look like a held scope; a demoted user's old token.
 * Every refusal is a 4xx with a stable code, never a 5xx, and writes nothing; nothing is ever granted beyond roles.
 */
const PUB = '/api/am/publisher/v4';
const SYS = '/api/am/admin/v4/system-scopes';
const admin = basic(ADMIN.username, ADMIN.password);

async function harness(store: Parameters<typeof createHarness>[0]): Promise<Harness> {
  const h = await createHarness(store, [...KM_MODULES, userRoutes(), publisherRoutes(), systemScopeRoutes]);
  h.cp.setTokenVerifier(accessTokenVerifier(h.ctx));
  return h;
}

for (const d of await testDialects()) {
  test(`token endpoint on ${d.name}: malformed scope strings are 400 invalid_scope; odd spacing and repeats grant no more than the roles`, async () => {
    const h = await harness(await d.open());
    try {
      await h.ctx.users.create('sub', 'sub-password-1', ['subscriber']);
      const sub = basic('sub', 'sub-password-1');
      const keys = await generateKeys(h, sub, await createApp(h, sub, 'Attacker'));
      const client = { id: keys.consumerKey, secret: keys.consumerSecret };
      const ask = (scope: string) =>
        form(
          h,
          '/oauth2/token',
          { grant_type: 'password', username: 'sub', password: 'sub-password-1', scope },
          client,
        );
      for (const scope of [
        'apim:subscribe\tapim:admin',
        'apim:subscribe\napim:admin',
        'apim:réad',
        'apim:admin\u200b',
        'a"b',
        'a\\b',
        'x'.repeat(201),
        Array.from({ length: MAX_REQUESTED_SCOPES + 1 }, (_, i) => `s${i}`).join(' '),
      ]) {
        const r = await ask(scope);
        assert.equal(r.statusCode, 400, `${JSON.stringify(scope).slice(0, 60)}: ${r.body}`);
        // Control characters stop at the input guard (invalid_request); the rest at the scope parser.
        assert.equal(r.json().error, /[\t\n]/.test(scope) ? 'invalid_request' : 'invalid_scope', r.body);
      }
      for (const [scope, granted] of [
        ['   apim:subscribe     apim:admin   ', 'apim:subscribe default'],
        [Array.from({ length: MAX_REQUESTED_SCOPES }, () => 'apim:admin').join(' '), 'default'],
        ['APIM:ADMIN Apim:Subscribe apim:admin_ apim:admi apim:subscribe', 'apim:subscribe default'],
        ['apim:scope_manage apim:api_manage apim:shared_scope_manage', 'default'],
      ]) {
        const r = await ask(scope!);
        assert.equal(r.statusCode, 200, r.body);
        assert.equal(r.json().scope, granted, scope);
      }
      const all = await ask(Object.keys(SCOPE_ROLES).join(' '));
      assert.equal(all.statusCode, 200, `every system scope at once, as apictl asks: ${all.body}`);
      const cc = await form(
        h,
        '/oauth2/token',
        { grant_type: 'client_credentials', scope: 'apim:admin default' },
        client,
      );
      assert.equal(cc.json().scope, 'default', 'client_credentials: the owner is no admin');
    } finally {
      await h.close();
    }
  });

  test(`REST on ${d.name}: a demoted user's token loses the scopes at once; look-alike scope names never pass`, async () => {
    const h = await harness(await d.open());
    try {
      await h.ctx.users.create('eve', 'eve-password-1', ['admin']);
      const eve = basic('eve', 'eve-password-1');
      const keys = await generateKeys(h, eve, await createApp(h, eve, 'EveApp'));
      const tok = await form(
        h,
        '/oauth2/token',
        {
          grant_type: 'password',
          username: 'eve',
          password: 'eve-password-1',
          scope: 'apim:admin apim:scope_manage',
        },
        { id: keys.consumerKey, secret: keys.consumerSecret },
      );
      assert.equal(tok.json().scope, 'apim:admin apim:scope_manage default');
      const bearer = `Bearer ${tok.json().access_token}`;
      assert.equal((await h.app.inject({ url: SYS, headers: { authorization: bearer } })).statusCode, 200);
      const demote = await h.app.inject({
        method: 'PUT',
        url: '/api/am/admin/v4/users/eve/roles',
        headers: { authorization: admin },
        payload: { roles: ['subscriber'] },
      });
      assert.equal(demote.statusCode, 200, demote.body);
      const after = await h.app.inject({ url: SYS, headers: { authorization: bearer } });
      assert.equal(after.statusCode, 403, after.body);
      assert.equal(after.json().code, 900910);

      // An admin may not map a system scope to a look-alike of a role and so hand it out: role names are exact.
      const bad = await h.app.inject({
        method: 'PUT',
        url: SYS,
        headers: { authorization: admin },
        payload: { list: [{ name: 'apim:admin ', roles: ['admin'] }] },
      });
      assert.equal(bad.statusCode, 400, bad.body);
      assert.equal(bad.json().code, 909560);
    } finally {
      await h.close();
    }
  });

  test(`Publisher and Admin on ${d.name}: hostile scope names and huge lists are 400, never 5xx, nothing written`, async () => {
    const h = await harness(await d.open());
    try {
      const before = await dumpDatabase(h.store);
      const send = (method: string, url: string, payload?: unknown) =>
        h.app.inject({
          method: method as 'GET',
          url,
          headers: { authorization: admin },
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
      const api = (over: object) => ({
        name: 'Hostile',
        context: '/hostile',
        version: '1.0.0',
        endpointConfig: { endpoint_type: 'http', production_endpoints: { url: 'http://127.0.0.1:9/' } },
        policies: ['Unlimited'],
        ...over,
      });
      const huge = Array.from({ length: 5000 }, (_, i) => `s${i}`);
      for (const [method, url, body] of [
        ['POST', `${PUB}/scopes`, { name: 'pets read' }],
        ['POST', `${PUB}/scopes`, { name: 'pets:\u0000read' }],
        ['POST', `${PUB}/scopes`, { name: 'pets:ŕead' }],
        ['POST', `${PUB}/scopes`, { name: 'pets:read', bindings: huge }],
        ['POST', `${PUB}/scopes`, { name: 'pets:read', bindings: ['admin', 'ad min'] }],
        ['POST', `${PUB}/scopes`, { name: 'pets:read', bindings: [{ role: 'admin' }] }],
        ['POST', `${PUB}/scopes`, { name: ['pets:read'] }],
        ['POST', `${PUB}/apis`, api({ scopes: [{ scope: { name: 'a b' }, shared: false }] })],
        ['POST', `${PUB}/apis`, api({ scopes: [{ scope: { name: 'ünï' }, shared: false }] })],
        ['POST', `${PUB}/apis`, api({ scopes: [{ scope: { name: 'x' }, shared: 'yes' }] })],
        ['POST', `${PUB}/apis`, api({ operations: [{ target: '/x', verb: 'GET', scopes: huge }] })],
        ['POST', `${PUB}/apis`, api({ operations: [{ target: '/x', verb: 'GET', scopes: ['undeclared'] }] })],
        ['PUT', SYS, { list: huge.map((name) => ({ name, roles: [] })) }],
        ['PUT', SYS, { list: [{ name: 'apim:api_view', roles: huge }] }],
        ['PUT', SYS, { list: [{ name: 'apim:api_view\n', roles: ['admin'] }] }],
        ['PUT', `${SYS}/role-aliases`, { list: [{ role: 'Internal/creator', aliases: huge }] }],
        ['PUT', `${SYS}/role-aliases`, { list: [{ role: 'Internal/créator', aliases: [] }] }],
      ] as const) {
        const r = await send(method, url, body);
        assert.ok(
          r.statusCode >= 400 && r.statusCode < 500,
          `${method} ${url} ${JSON.stringify(body).slice(0, 80)}: ${r.statusCode}`,
        );
        assert.equal(r.statusCode, 400, `${method} ${url} ${JSON.stringify(body).slice(0, 80)}: ${r.body}`);
        assert.equal(typeof r.json().code, 'number');
      }
      for (const encoded of [
        Buffer.from('a'.repeat(300)).toString('base64url'),
        Buffer.from('apim:admin\u0000').toString('base64url'),
        Buffer.from('ünï').toString('base64url'),
        '%00',
        'x'.repeat(2000),
      ]) {
        const head = await send('HEAD', `${PUB}/scopes/${encoded}`);
        assert.ok([400, 404].includes(head.statusCode), `HEAD ${encoded.slice(0, 20)}: ${head.statusCode}`);
        const sys = await send('GET', `${SYS}/${encoded}`);
        assert.ok([400, 404].includes(sys.statusCode), `GET ${encoded.slice(0, 20)}: ${sys.statusCode}`);
      }
      assert.deepEqual(await dumpDatabase(h.store), before, 'nothing written');
    } finally {
      await h.close();
    }
  });
}
