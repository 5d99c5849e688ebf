import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { rawDb } from '../../../test/support/raw-db.js';
import {
  adminAuth,
  apiBody,
  insertApplication,
  publishedApi,
  PUB,
  userAuth,
} from './test-support/publisher-fixtures.js';

// WSO2 4.x: APIProviderImpl.getAPIbyUUID refuses a RESTRICTED API to a publisher holding none of its
// accessControlRoles with UN_AUTHORIZED_TO_VIEW_MODIFY_API (403, 903222); searches leave it out.
const TOML = '[user_store]\ncustom_roles = ["team-a", "team-b"]\n';
const RESTRICTED = { accessControl: 'RESTRICTED', accessControlRoles: ['team-a'] };
type Headers = Record<string, string>;

async function setup(h: Harness) {
  const alice = await userAuth(h, 'alice', ['creator', 'publisher', 'team-a']);
  const bob = await userAuth(h, 'bob', ['creator', 'publisher']);
  const created = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis`,
    headers: alice,
    payload: apiBody(RESTRICTED),
  });
  assert.equal(created.statusCode, 201, created.body);
  const open = await h.app.inject({
    method: 'POST',
    url: `${PUB}/apis`,
    headers: bob,
    payload: apiBody({ name: 'Open', context: '/open' }),
  });
  assert.equal(open.statusCode, 201, open.body);
  return { alice, bob, id: created.json().id as string, openId: open.json().id as string };
}

function assertForbidden(res: { statusCode: number; body: string; json(): unknown }, what: string) {
  assert.equal(res.statusCode, 403, `${what}: ${res.body}`);
  const body = res.json() as { code: number; errorCode: string };
  assert.equal(body.code, 903222, what);
  assert.equal(body.errorCode, 'API_ACCESS_RESTRICTED', what);
}

for (const d of await testDialects()) {
  test(`publisher access control on ${d.name}: a publisher without the role gets 403 on every operation and changes nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      const { bob, id } = await setup(h);
      const ops: [string, string, unknown?][] = [
        ['GET', `/apis/${id}`],
        ['PUT', `/apis/${id}`, apiBody({ description: 'changed by bob' })],
        ['DELETE', `/apis/${id}`],
        ['GET', `/apis/${id}/swagger`],
        ['GET', `/apis/${id}/lifecycle-state`],
        ['GET', `/apis/${id}/lifecycle-history`],
        ['POST', `/apis/${id}/generate-key`],
        ['GET', `/apis/${id}/revisions`],
        ['POST', `/apis/${id}/revisions`, {}],
        ['GET', `/apis/${id}/deployments`],
        ['POST', `/apis/change-lifecycle?apiId=${id}&action=Publish`],
        ['GET', `/apis/export?apiId=${id}`],
        ['GET', `/subscriptions?apiId=${id}`],
      ];
      for (const [method, path, payload] of ops) {
        const res = await h.app.inject({
          method: method as 'GET',
          url: `${PUB}${path}`,
          headers: bob,
          ...(payload === undefined ? {} : { payload: payload as object }),
        });
        assertForbidden(res, `${method} ${path}`);
      }
      const after = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth });
      assert.equal(after.statusCode, 200, after.body);
      assert.equal(after.json().description, 'Pets', 'the refused PUT wrote nothing');
      assert.equal(after.json().lifeCycleStatus, 'CREATED', 'the refused lifecycle change wrote nothing');
      const revisions = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/revisions`,
        headers: adminAuth,
      });
      assert.equal(revisions.json().count, 0, 'the refused revision was not created');
    } finally {
      await h.close();
    }
  });

  test(`publisher access control on ${d.name}: holders of the role and admins see and edit; the list omits it for others`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      const { alice, bob, id, openId } = await setup(h);
      const list = async (headers: Headers, query = '') => {
        const res = await h.app.inject({ method: 'GET', url: `${PUB}/apis${query}`, headers });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { count: number; list: { id: string }[]; pagination: { total: number } };
        return { ids: body.list.map((a) => a.id).sort(), count: body.count, total: body.pagination.total };
      };
      assert.deepEqual(await list(bob), { ids: [openId], count: 1, total: 1 });
      assert.deepEqual(await list(bob, '?query=name:Petstore'), { ids: [], count: 0, total: 0 });
      assert.deepEqual(await list(bob, '?limit=1&offset=0'), { ids: [openId], count: 1, total: 1 });
      assert.deepEqual(await list(alice), { ids: [id, openId].sort(), count: 2, total: 2 });
      assert.deepEqual(await list(adminAuth), { ids: [id, openId].sort(), count: 2, total: 2 });

      for (const headers of [alice, adminAuth]) {
        const got = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers });
        assert.equal(got.statusCode, 200, got.body);
        assert.equal(got.json().accessControl, 'RESTRICTED');
        assert.deepEqual(got.json().accessControlRoles, ['team-a']);
        const put = await h.app.inject({
          method: 'PUT',
          url: `${PUB}/apis/${id}`,
          headers,
          payload: apiBody({ ...RESTRICTED, description: 'edited' }),
        });
        assert.equal(put.statusCode, 200, put.body);
      }
      // NONE is unaffected: alice (and anyone with the scopes) sees and edits bob's open API.
      const open = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${openId}`, headers: alice });
      assert.equal(open.statusCode, 200, open.body);
      // Lifting the restriction opens the API to bob again.
      const lift = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: alice,
        payload: apiBody({ accessControl: 'NONE', accessControlRoles: [] }),
      });
      assert.equal(lift.statusCode, 200, lift.body);
      const now = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: bob });
      assert.equal(now.statusCode, 200, now.body);
    } finally {
      await h.close();
    }
  });

  test(`publisher access control on ${d.name}: saving RESTRICTED is refused with no roles, unknown roles, or roles the caller lacks`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      const { alice, bob, id } = await setup(h);
      const count = async () =>
        (await h.app.inject({ method: 'GET', url: `${PUB}/apis`, headers: adminAuth })).json().count;
      const before = await count();
      const post = (headers: Headers, over: Record<string, unknown>) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers,
          payload: apiBody({ name: 'Other', context: '/other', ...over }),
        });

      const empty = await post(alice, { accessControl: 'RESTRICTED', accessControlRoles: [] });
      assert.equal(empty.statusCode, 400, empty.body);
      assert.equal(empty.json().errorCode, 'VALIDATION_FAILED');
      assert.match(empty.json().description, /accessControlRoles/);

      const lacking = await post(bob, RESTRICTED);
      assert.equal(lacking.statusCode, 400, lacking.body);
      assert.equal(lacking.json().code, 900610);
      assert.equal(
        lacking.json().description,
        'This user does not have at least one role specified in API access control.',
      );

      const unknown = await post(alice, {
        accessControl: 'RESTRICTED',
        accessControlRoles: ['team-a', 'nope'],
      });
      assert.equal(unknown.statusCode, 400, unknown.body);
      assert.equal(unknown.json().code, 900610);
      assert.match(unknown.json().description, /Invalid user roles found in accessControlRole list: nope/);

      // Role names compare without case, as WSO2's do; Internal/ spellings of built-in roles count.
      const spelled = await post(alice, {
        accessControl: 'RESTRICTED',
        accessControlRoles: ['TEAM-A', 'Internal/creator'],
      });
      assert.equal(spelled.statusCode, 201, spelled.body);

      // An admin may restrict to roles it does not hold itself (WSO2: apim_admin permission).
      const byAdmin = await post(adminAuth, {
        name: 'Third',
        context: '/third',
        accessControl: 'RESTRICTED',
        accessControlRoles: ['team-b'],
      });
      assert.equal(byAdmin.statusCode, 201, byAdmin.body);

      // A holder cannot lock itself out by moving the API to a role it lacks.
      const lockout = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: alice,
        payload: apiBody({ accessControl: 'RESTRICTED', accessControlRoles: ['team-b'] }),
      });
      assert.equal(lockout.statusCode, 400, lockout.body);
      assert.equal(lockout.json().code, 900610);
      const still = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: alice });
      assert.deepEqual(still.json().accessControlRoles, ['team-a'], 'the refused PUT wrote nothing');
      assert.equal(await count(), before + 2);
    } finally {
      await h.close();
    }
  });

  test(`publisher access control on ${d.name}: subscriptions of a RESTRICTED API are left out and cannot be blocked`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { toml: TOML });
    try {
      const bob = await userAuth(h, 'bob', ['creator', 'publisher']);
      const restricted = await publishedApi(h, RESTRICTED);
      const open = await publishedApi(h, { name: 'Open', context: '/open' });
      const app = await insertApplication(h, 'sam', 'SamApp');
      const now = Date.now();
      for (const [uuid, apiId] of [
        ['sub-r', restricted],
        ['sub-o', open],
      ] as const)
        await rawDb(h.store)
          .insertInto('subscriptions')
          .values({
            uuid,
            application_id: app.id,
            api_id: apiId,
            policy: 'Gold',
            requested_policy: 'Gold',
            status: 'UNBLOCKED',
            created_at: now,
            updated_at: now,
          })
          .execute();
      const ids = async (headers: Headers) => {
        const res = await h.app.inject({ url: `${PUB}/subscriptions`, headers });
        assert.equal(res.statusCode, 200, res.body);
        const body = res.json() as { count: number; list: { subscriptionId: string }[] };
        return { count: body.count, ids: body.list.map((x) => x.subscriptionId).sort() };
      };
      assert.deepEqual(await ids(bob), { count: 1, ids: ['sub-o'] });
      assert.deepEqual(await ids(adminAuth), { count: 2, ids: ['sub-o', 'sub-r'] });
      for (const url of [
        `${PUB}/subscriptions/block-subscription?subscriptionId=sub-r&blockState=BLOCKED`,
        `${PUB}/subscriptions/unblock-subscription?subscriptionId=sub-r`,
      ])
        assertForbidden(await h.app.inject({ method: 'POST', url, headers: bob }), url);
      const row = await rawDb(h.store)
        .selectFrom('subscriptions')
        .select('status')
        .where('uuid', '=', 'sub-r')
        .executeTakeFirstOrThrow();
      assert.equal(row.status, 'UNBLOCKED', 'the refused block wrote nothing');
      const blockOpen = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=sub-o&blockState=BLOCKED`,
        headers: bob,
      });
      assert.equal(blockOpen.statusCode, 200, blockOpen.body);
    } finally {
      await h.close();
    }
  });
}
