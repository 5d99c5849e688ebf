import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { ADMIN, basic } from '../support/control-plane-harness.js';
import { adminBasic, createApplication, fullHarness } from '../support/full-control-plane.js';
import { HTTP_METHODS, openApiDoc, pathShape, WSO2_APIS, type Wso2Api } from './support/wso2-openapi-spec.js';

/**
 * Issue 13: Portico's Publisher, Admin and Developer Portal operations need exactly the scopes WSO2's OpenAPI
 * documents give them (`security`, one of them is enough), and a bearer token is let in by the scopes it holds:
 * a token with `apim:api_manage` can do what WSO2 lets it do; one without the needed scope is 403 900910.
 */
const PORTALS: readonly Wso2Api[] = ['publisher', 'admin', 'devportal'];
const PUB = WSO2_APIS.publisher.base;
const ADM = WSO2_APIS.admin.base;
const DP = WSO2_APIS.devportal.base;

interface SecuredOperation {
  security?: Record<string, string[]>[];
}

/** `METHOD /base/{}` → the spec's scopes (null when public), for every operation of the three documents. */
function specScopes(): Map<string, string[] | null> {
  const out = new Map<string, string[] | null>();
  for (const api of PORTALS) {
    const doc = openApiDoc(api) as unknown as {
      paths: Record<string, Record<string, SecuredOperation>>;
      security?: Record<string, string[]>[];
    };
    for (const [path, item] of Object.entries(doc.paths))
      for (const m of [...HTTP_METHODS, 'head'] as const) {
        const op = item[m];
        if (!op) continue;
        const names = (op.security ?? doc.security ?? []).flatMap((s) => Object.values(s).flat());
        out.set(`${m.toUpperCase()} ${WSO2_APIS[api].base}${pathShape(path)}`, names.length ? names : null);
      }
  }
  return out;
}

const [dialect] = await testDialects();

test('every served WSO2 operation needs exactly the scopes of its OpenAPI security', async () => {
  const h = await fullHarness(await dialect!.open());
  try {
    const spec = specScopes();
    let checked = 0;
    for (const r of h.cp.routes) {
      const key = `${r.method} ${pathShape(r.url)}`;
      const want = spec.get(key);
      if (want === undefined) continue; // a Portico addition: it keeps its own scopes
      const have = r.config.scopes;
      if (want === null) {
        // WSO2 public (anonymous allowed): Portico either answers anonymously or asks only for a sign-in.
        assert.ok(have === undefined || have.length === 0, `${key} is public in WSO2, Portico needs ${have}`);
        continue;
      }
      assert.deepEqual([...(have ?? [])].sort(), [...want].sort(), key);
      checked++;
    }
    assert.ok(checked >= 90, `${checked} operations checked`);
  } finally {
    await h.close();
  }
});

/** [scope the token holds, method, path, status]; paths may name `{api}` (a created API) and `{app}`. */
const TABLE: [string, string, string, number][] = [
  ['apim:api_manage', 'GET', `${PUB}/apis`, 200],
  ['apim:api_manage', 'POST', `${PUB}/apis`, 201],
  ['apim:api_manage', 'GET', `${PUB}/apis/{api}`, 200],
  ['apim:api_manage', 'PUT', `${PUB}/apis/{api}`, 200],
  ['apim:api_manage', 'GET', `${PUB}/apis/{api}/swagger`, 200],
  ['apim:api_manage', 'GET', `${PUB}/apis/{api}/lifecycle-state`, 200],
  ['apim:api_manage', 'POST', `${PUB}/apis/{api}/revisions`, 201],
  ['apim:api_manage', 'GET', `${PUB}/scopes`, 403],
  ['apim:api_manage', 'GET', `${ADM}/throttling/policies/subscription`, 403],
  ['apim:api_manage', 'GET', `${DP}/applications`, 403],
  ['apim:api_manage', 'DELETE', `${PUB}/apis/{api}`, 200],
  ['apim:api_view', 'GET', `${PUB}/apis`, 200],
  ['apim:api_view', 'GET', `${PUB}/apis/{api}`, 200],
  ['apim:api_view', 'GET', `${PUB}/scopes`, 200],
  ['apim:api_view', 'POST', `${PUB}/apis`, 403],
  ['apim:api_view', 'PUT', `${PUB}/apis/{api}`, 403],
  ['apim:api_view', 'DELETE', `${PUB}/apis/{api}`, 403],
  ['apim:api_view', 'POST', `${PUB}/scopes`, 403],
  ['apim:api_create', 'POST', `${PUB}/apis`, 201],
  ['apim:api_create', 'PUT', `${PUB}/apis/{api}`, 200],
  ['apim:api_create', 'GET', `${PUB}/apis`, 403],
  ['apim:api_create', 'DELETE', `${PUB}/apis/{api}`, 403],
  ['apim:api_publish', 'PUT', `${PUB}/apis/{api}`, 200],
  ['apim:api_publish', 'POST', `${PUB}/apis`, 403],
  ['apim:shared_scope_manage', 'POST', `${PUB}/scopes`, 201],
  ['apim:shared_scope_manage', 'GET', `${PUB}/scopes`, 200],
  ['apim:shared_scope_manage', 'GET', `${PUB}/apis`, 403],
  ['apim:subscribe', 'GET', `${DP}/applications`, 200],
  ['apim:subscribe', 'GET', `${DP}/applications/{app}`, 200],
  ['apim:subscribe', 'GET', `${PUB}/apis`, 403],
  ['apim:subscribe', 'GET', `${ADM}/system-scopes`, 403],
  ['apim:app_manage', 'GET', `${DP}/applications/{app}`, 200],
  ['apim:sub_manage', 'GET', `${DP}/applications/{app}`, 403],
  ['apim:sub_manage', 'GET', `${DP}/subscriptions?applicationId={app}`, 200],
  ['apim:tier_view', 'GET', `${ADM}/throttling/policies/subscription`, 200],
  ['apim:tier_view', 'POST', `${ADM}/throttling/policies/subscription`, 403],
  ['apim:admin_tier_view', 'GET', `${ADM}/throttling/policies/application`, 200],
  ['apim:scope_manage', 'GET', `${ADM}/system-scopes`, 200],
  ['apim:scope_manage', 'GET', `${ADM}/system-scopes/role-aliases`, 200],
  ['apim:scope_manage', 'GET', `${ADM}/key-managers`, 403],
  ['apim:keymanagers_manage', 'GET', `${ADM}/key-managers`, 200],
  ['apim:admin', 'GET', `${ADM}/system-scopes`, 200],
  ['apim:admin', 'GET', `${ADM}/key-managers`, 200],
  ['apim:admin', 'GET', `${PUB}/apis`, 403],
  ['default', 'GET', `${PUB}/apis`, 403],
  ['default', 'GET', `${DP}/apis`, 200],
];

const apiBody = (n: number) => ({
  name: `ScopeTable${n}`,
  context: `/scope-table-${n}`,
  version: '1.0.0',
  endpointConfig: { endpoint_type: 'http', production_endpoints: { url: 'http://127.0.0.1:9/x' } },
  policies: ['Unlimited'],
  operations: [{ target: '/x', verb: 'GET' }],
});

test('a bearer token is let in by the one scope it holds, over a table of operations', async () => {
  const h = await fullHarness(await dialect!.open());
  try {
    const app = await createApplication(h, 'ScopeTableApp');
    const keys = await h.app.inject({
      method: 'POST',
      url: `${DP}/applications/${app}/generate-keys`,
      headers: { authorization: adminBasic() },
      payload: { keyType: 'PRODUCTION', grantTypesToBeSupported: ['password'] },
    });
    assert.equal(keys.statusCode, 200, keys.body);
    const client = basic(keys.json().consumerKey, keys.json().consumerSecret);
    const tokens = new Map<string, string>();
    const tokenFor = async (scope: string) => {
      const cached = tokens.get(scope);
      if (cached) return cached;
      const r = await h.app.inject({
        method: 'POST',
        url: '/oauth2/token',
        headers: { authorization: client, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({
          grant_type: 'password',
          username: ADMIN.username,
          password: ADMIN.password,
          scope,
        }).toString(),
      });
      assert.equal(r.statusCode, 200, r.body);
      assert.equal(r.json().scope, scope === 'default' ? 'default' : `${scope} default`);
      tokens.set(scope, r.json().access_token as string);
      return r.json().access_token as string;
    };
    let n = 0;
    for (const [scope, method, path, status] of TABLE) {
      // Each row gets its own API so a DELETE in one row does not change another.
      const created = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: { authorization: adminBasic() },
        payload: apiBody(++n),
      });
      assert.equal(created.statusCode, 201, created.body);
      const url = path.replace('{api}', created.json().id).replace('{app}', app);
      const body =
        method === 'POST' && url.endsWith('/apis')
          ? apiBody(1000 + n)
          : method === 'PUT'
            ? { ...created.json(), description: 'changed' }
            : url.endsWith('/revisions')
              ? { description: 'r' }
              : url.endsWith('/scopes')
                ? { name: `table:${n}` }
                : method === 'POST'
                  ? {}
                  : undefined;
      const r = await h.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization: `Bearer ${await tokenFor(scope)}` },
        ...(body === undefined ? {} : { payload: body }),
      });
      const row = `${scope} ${method} ${path}`;
      assert.equal(r.statusCode, status, `${row}: ${r.body}`);
      if (status === 403) {
        assert.equal(r.json().code, 900910, row);
        assert.equal(r.json().errorCode, 'INSUFFICIENT_SCOPE', row);
      }
    }
  } finally {
    await h.close();
  }
});

test('Basic callers keep the scopes their roles hold (the seeds’ curl flows)', async () => {
  const h = await fullHarness(await dialect!.open());
  try {
    await h.ctx.users.create('carl', 'carl-password-1', ['creator']);
    const carl = basic('carl', 'carl-password-1');
    const call = (authorization: string, method: string, url: string, payload?: object) =>
      h.app.inject({
        method: method as 'GET',
        url,
        headers: { authorization },
        ...(payload ? { payload } : {}),
      });
    assert.equal((await call(carl, 'POST', `${PUB}/apis`, apiBody(1))).statusCode, 201);
    assert.equal((await call(carl, 'GET', `${PUB}/apis`)).statusCode, 200);
    const tier = await call(carl, 'POST', `${ADM}/throttling/policies/subscription`, {});
    assert.equal(tier.statusCode, 403);
    assert.equal(tier.json().code, 900910);
    assert.equal((await call(adminBasic(), 'GET', `${ADM}/system-scopes`)).statusCode, 200);
  } finally {
    await h.close();
  }
});
