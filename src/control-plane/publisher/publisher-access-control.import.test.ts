import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { systemScopeRoutes } from '../scopes/system-scope-routes.js';
import { publisherRoutes } from './index.js';
import { importZip } from './test-support/api-project-zips.js';
import { adminAuth, apiBody, PUB, userAuth } from './test-support/publisher-fixtures.js';

// WSO2's import goes through getAPIbyUUID (access check) and validateUserRoles like a PUT does.
const TOML = '[user_store]\ncustom_roles = ["team-a", "team-b"]\n';

for (const d of await testDialects()) {
  test(`publisher access control on ${d.name}: import cannot overwrite a RESTRICTED API nor bring roles the caller lacks`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), systemScopeRoutes], { toml: TOML });
    try {
      const alice = await userAuth(h, 'alice', ['creator', 'team-a']);
      const bob = await userAuth(h, 'bob', ['creator']);
      // Creators may import here, so that the access check (not the scope) is what refuses bob.
      const scopes = await h.app.inject({
        method: 'PUT',
        url: '/api/am/admin/v4/system-scopes',
        headers: adminAuth,
        payload: { list: [{ name: 'apim:api_import_export', roles: ['admin', 'Internal/creator'] }] },
      });
      assert.equal(scopes.statusCode, 200, scopes.body);
      const created = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: alice,
        payload: apiBody({ accessControl: 'RESTRICTED', accessControlRoles: ['team-a'] }),
      });
      assert.equal(created.statusCode, 201, created.body);
      const id = created.json().id as string;
      const exported = await h.app.inject({ url: `${PUB}/apis/export?apiId=${id}`, headers: alice });
      assert.equal(exported.statusCode, 200, exported.body);
      const zip = new Uint8Array(exported.rawPayload);

      const overwrite = await importZip(h, zip, '?overwrite=true', bob);
      assert.equal(overwrite.statusCode, 403, overwrite.body);
      assert.equal(overwrite.json().code, 903222);
      const byAlice = await importZip(h, zip, '?overwrite=true', alice);
      assert.equal(byAlice.statusCode, 200, byAlice.body);
      assert.equal(byAlice.json().id, id);

      // A new API from the same project: bob holds none of its roles, alice does.
      const removed = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${id}`, headers: alice });
      assert.equal(removed.statusCode, 200, removed.body);
      const fresh = await importZip(h, zip, '', bob);
      assert.equal(fresh.statusCode, 400, fresh.body);
      assert.equal(fresh.json().code, 900610);
      const list = await h.app.inject({ url: `${PUB}/apis`, headers: adminAuth });
      assert.equal(list.json().count, 0, 'the refused import wrote nothing');
      const again = await importZip(h, zip, '', alice);
      assert.equal(again.statusCode, 200, again.body);
    } finally {
      await h.close();
    }
  });
}
