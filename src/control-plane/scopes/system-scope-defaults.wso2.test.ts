import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../publisher/index.js';
import { adminAuth, userAuth } from '../publisher/test-support/publisher-fixtures.js';
import { systemScopeRoutes } from './system-scope-routes.js';

/**
 * `RESTAPIScopes` entries of WSO2's tenant-conf.json (carbon-apimgt 9.33.x,
 * components/apimgt/org.wso2.carbon.apimgt.impl/src/main/resources/tenant/tenant-conf.json), `Roles` verbatim:
 * the ones where Portico's defaults differed, and some that did not.
 */
const TENANT_CONF_SCOPES = [
  { Name: 'apim:api_create', Roles: 'admin,Internal/creator' },
  {
    Name: 'apim:api_view',
    Roles: 'admin,Internal/publisher,Internal/creator,Internal/analytics,Internal/observer',
  },
  { Name: 'apim:subscribe', Roles: 'admin,Internal/subscriber,Internal/devops' },
  { Name: 'apim:subscription_manage', Roles: 'admin,Internal/publisher' },
  { Name: 'apim:admin', Roles: 'admin' },
  { Name: 'apim:api_import_export', Roles: 'admin,Internal/devops' },
  { Name: 'apim:label_manage', Roles: 'admin' },
  { Name: 'apim:app_update', Roles: 'admin,Internal/subscriber' },
  { Name: 'apim:ep_certificates_add', Roles: 'admin,Internal/creator' },
  { Name: 'apim:shared_scope_manage', Roles: 'admin' },
  { Name: 'service_catalog:service_view', Roles: 'admin,Internal/creator,Internal/publisher' },
  { Name: 'apim:comment_write', Roles: 'admin,Internal/creator,Internal/publisher' },
  { Name: 'apim:api_list_view', Roles: 'Internal/integration_dev' },
];

for (const d of await testDialects()) {
  test(`default system scopes on ${d.name}: GET /system-scopes gives WSO2's tenant-conf.json roles`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), systemScopeRoutes]);
    try {
      const res = await h.app.inject({ url: '/api/am/admin/v4/system-scopes', headers: adminAuth });
      assert.equal(res.statusCode, 200, res.body);
      const roles = new Map(
        (res.json().list as { name: string; roles: string[] }[]).map((s) => [s.name, s.roles]),
      );
      for (const s of TENANT_CONF_SCOPES)
        assert.deepEqual(roles.get(s.Name), s.Roles.split(','), `${s.Name} has WSO2's default roles`);

      // What the change means on the wire: a creator may no longer manage shared scopes (WSO2: admin only).
      const creator = await userAuth(h, 'cat', ['creator']);
      const post = await h.app.inject({
        method: 'POST',
        url: '/api/am/publisher/v4/scopes',
        headers: creator,
        payload: { name: 's:one', displayName: 's one', description: 'one', bindings: [] },
      });
      assert.equal(post.statusCode, 403, post.body);
      assert.equal(post.json().code, 900910);
    } finally {
      await h.close();
    }
  });
}
