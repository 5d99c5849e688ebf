import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { dumpDatabase } from '../../../test/support/full-control-plane.js';
import { publisherRoutes } from '../publisher/index.js';
import { adminAuth, apiBody, PUB, userAuth } from '../publisher/test-support/publisher-fixtures.js';

const b64 = (s: string) => Buffer.from(s).toString('base64url');
const TOML = '[user_store]\ncustom_roles = ["gold-partners"]\n';

async function send(
  h: Harness,
  method: string,
  url: string,
  payload?: unknown,
  headers: Record<string, string> = adminAuth,
) {
  return h.app.inject({
    method: method as 'GET',
    url: `${PUB}${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
}

/** An API attaching the shared scope `pets:read` to GET /pets. */
const scopedApi = (name: string, context: string) =>
  apiBody({
    name,
    context,
    scopes: [{ scope: { name: 'pets:read' }, shared: true }],
    operations: [
      { target: '/pets', verb: 'GET', scopes: ['pets:read'] },
      { target: '/pets/{id}', verb: 'DELETE' },
    ],
  });

for (const d of await testDialects()) {
  test(`shared scopes on ${d.name}: create, HEAD by name, two APIs attach one, usage, update, delete`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      const created = await send(h, 'POST', '/scopes', {
        name: 'pets:read',
        displayName: 'Read pets',
        description: 'Read the pet list',
        bindings: ['gold-partners', 'Internal/subscriber'],
      });
      assert.equal(created.statusCode, 201, created.body);
      const scope = created.json();
      assert.match(scope.id, /^[0-9a-f-]{36}$/);
      assert.equal(created.headers.location, `${PUB}/scopes/${scope.id}`);
      assert.deepEqual(scope, {
        id: scope.id,
        name: 'pets:read',
        displayName: 'Read pets',
        description: 'Read the pet list',
        bindings: ['gold-partners', 'Internal/subscriber'],
        usageCount: 0,
      });

      assert.equal((await send(h, 'HEAD', `/scopes/${b64('pets:read')}`)).statusCode, 200);
      assert.equal((await send(h, 'HEAD', `/scopes/${b64('pets:write')}`)).statusCode, 404);
      assert.equal((await send(h, 'HEAD', `/scopes/not*base64`)).statusCode, 404);

      const one = await send(h, 'POST', '/apis', scopedApi('PetsOne', '/pets-one'));
      assert.equal(one.statusCode, 201, one.body);
      // WSO2 shows the shared scope itself on the API, whatever the client sent beside its name.
      assert.deepEqual(one.json().scopes, [
        {
          scope: {
            id: scope.id,
            name: 'pets:read',
            displayName: 'Read pets',
            description: 'Read the pet list',
            bindings: ['gold-partners', 'Internal/subscriber'],
          },
          shared: true,
        },
      ]);
      const got = await send(h, 'GET', `/apis/${one.json().id}`);
      assert.deepEqual(got.json().scopes, one.json().scopes, 'round-trips');
      const two = await send(h, 'POST', '/apis', scopedApi('PetsTwo', '/pets-two'));
      assert.equal(two.statusCode, 201, two.body);

      const list = await send(h, 'GET', '/scopes');
      assert.equal(list.statusCode, 200, list.body);
      assert.equal(list.json().count, 1);
      assert.equal(list.json().list[0].usageCount, 2);
      assert.equal(list.json().pagination.total, 1);

      const usage = await send(h, 'GET', `/scopes/${scope.id}/usage`);
      assert.equal(usage.statusCode, 200, usage.body);
      const used = (name: string, context: string) => ({
        name,
        context,
        version: '1.0.0',
        provider: 'admin',
        usedResourceList: [{ target: '/pets', verb: 'GET' }],
      });
      assert.deepEqual(usage.json(), {
        id: scope.id,
        name: 'pets:read',
        usedApiList: [used('PetsOne', '/pets-one'), used('PetsTwo', '/pets-two')],
        usages: [
          { ...used('PetsOne', '/pets-one'), type: 'API' },
          { ...used('PetsTwo', '/pets-two'), type: 'API' },
        ],
      });

      const inUse = await send(h, 'DELETE', `/scopes/${scope.id}`);
      assert.equal(inUse.statusCode, 409, inUse.body);
      assert.equal(inUse.json().code, 909563);
      assert.equal(inUse.json().errorCode, 'SCOPE_IN_USE');

      const updated = await send(h, 'PUT', `/scopes/${scope.id}`, {
        name: 'pets:read',
        description: 'Changed',
        bindings: ['admin'],
      });
      assert.equal(updated.statusCode, 200, updated.body);
      assert.deepEqual(
        { ...(updated.json() as object), id: 'X' },
        {
          id: 'X',
          name: 'pets:read',
          displayName: 'pets:read',
          description: 'Changed',
          bindings: ['admin'],
          usageCount: 2,
        },
      );
      const rename = await send(h, 'PUT', `/scopes/${scope.id}`, { name: 'pets:other' });
      assert.equal(rename.statusCode, 400, rename.body);
      assert.equal(rename.json().code, 909560);

      // Detach from both APIs, then the shared scope can go.
      for (const api of [one.json(), two.json()]) {
        const r = await send(h, 'PUT', `/apis/${api.id}`, {
          ...api,
          scopes: [],
          operations: (api.operations as Record<string, unknown>[]).map((o) => ({ ...o, scopes: [] })),
        });
        assert.equal(r.statusCode, 200, r.body);
      }
      assert.equal((await send(h, 'DELETE', `/scopes/${scope.id}`)).statusCode, 200);
      const gone = await send(h, 'GET', `/scopes/${scope.id}`);
      assert.equal(gone.statusCode, 404);
      assert.equal(gone.json().code, 900981);
      assert.equal((await send(h, 'GET', `/scopes/${scope.id}/usage`)).statusCode, 404);
    } finally {
      await h.close();
    }
  });

  test(`shared scopes on ${d.name}: bad input is 400, duplicates 409, a missing shared scope 400, nothing written`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      assert.equal((await send(h, 'POST', '/scopes', { name: 'pets:read' })).statusCode, 201);
      const local = await send(
        h,
        'POST',
        '/apis',
        apiBody({ scopes: [{ scope: { name: 'local:one', bindings: [] }, shared: false }] }),
      );
      assert.equal(local.statusCode, 201, local.body);
      const before = await dumpDatabase(h.store);
      for (const [body, status, code] of [
        [{ name: 'pets:read' }, 409, 900984],
        [{ name: 'local:one' }, 409, 900984],
        [{ name: 'has space' }, 400, 909560],
        [{ name: '' }, 400, 909560],
        [{ name: 'pets:ü' }, 400, 909560],
        [{ name: 'x'.repeat(101) }, 400, 909560],
        [{ name: 'ok', bindings: ['not a role'] }, 400, 909560],
        [{ name: 'ok', bindings: Array.from({ length: 101 }, (_, i) => `r${i}`) }, 400, 909001],
        [{ name: 'ok', bindings: 'admin' }, 400, 909001],
        [{ displayName: 'no name' }, 400, 909001],
      ] as const) {
        const r = await send(h, 'POST', '/scopes', body);
        assert.equal(r.statusCode, status, `${JSON.stringify(body).slice(0, 80)}: ${r.body}`);
        assert.equal(r.json().code, code, r.body);
      }
      const missing = await send(
        h,
        'POST',
        '/apis',
        apiBody({ name: 'Other', context: '/other', scopes: [{ scope: { name: 'nope:x' }, shared: true }] }),
      );
      assert.equal(missing.statusCode, 400, missing.body);
      assert.equal(missing.json().errorCode, 'SHARED_SCOPE_NOT_FOUND');
      const shadow = await send(
        h,
        'POST',
        '/apis',
        apiBody({
          name: 'Other',
          context: '/other',
          scopes: [{ scope: { name: 'pets:read' }, shared: false }],
        }),
      );
      assert.equal(shadow.statusCode, 409, shadow.body);
      assert.equal(shadow.json().errorCode, 'SCOPE_EXISTS');
      assert.equal(
        (await send(h, 'PUT', '/scopes/00000000-0000-0000-0000-000000000000', { name: 'x' })).statusCode,
        404,
      );
      assert.deepEqual(await dumpDatabase(h.store), before, 'nothing written');
    } finally {
      await h.close();
    }
  });

  test(`shared scopes on ${d.name}: who may manage them (apim:shared_scope_manage) and who may read them`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const subscriber = await userAuth(h, 'sam', ['subscriber']);
      const publisher = await userAuth(h, 'pat', ['publisher']);
      const creator = await userAuth(h, 'cat', ['creator']);
      const denied = await send(h, 'POST', '/scopes', { name: 's:one' }, subscriber);
      assert.equal(denied.statusCode, 403, denied.body);
      assert.equal(denied.json().code, 900910);
      assert.equal(denied.json().errorCode, 'INSUFFICIENT_SCOPE');
      assert.equal((await send(h, 'POST', '/scopes', { name: 's:one' }, publisher)).statusCode, 403);
      // WSO2's tenant-conf.json gives apim:shared_scope_manage to admin only.
      assert.equal((await send(h, 'POST', '/scopes', { name: 's:one' }, creator)).statusCode, 403);
      assert.equal((await send(h, 'POST', '/scopes', { name: 's:one' }, adminAuth)).statusCode, 201);
      // Reading needs apim:api_view (or shared_scope_manage): a publisher reads, a subscriber does not.
      assert.equal((await send(h, 'GET', '/scopes', undefined, publisher)).statusCode, 200);
      assert.equal((await send(h, 'GET', '/scopes', undefined, subscriber)).statusCode, 403);
      assert.equal((await send(h, 'GET', '/scopes', undefined, {})).statusCode, 401);
    } finally {
      await h.close();
    }
  });
}
