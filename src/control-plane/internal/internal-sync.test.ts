import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../publisher/index.js';
import { adminAuth, publishedApi, userAuth } from '../publisher/test-support/publisher-fixtures.js';
import { internalSyncRoutes } from './index.js';

for (const d of await testDialects()) {
  test(`internal sync on ${d.name}: snapshot and version for admins only`, async () => {
    const h = await createHarness(await d.open(), [internalSyncRoutes, publisherRoutes()]);
    try {
      const apiId = await publishedApi(h);
      const expected = await h.ctx.snapshots.rebuild();
      const res = await h.app.inject({
        method: 'GET',
        url: '/internal/data/v1/snapshot',
        headers: adminAuth,
      });
      assert.equal(res.statusCode, 200);
      assert.equal(res.headers.etag, `"${expected.version}"`);
      const body = res.json();
      assert.deepEqual(body, JSON.parse(JSON.stringify(expected)));
      assert.ok(body.apis.some((a: { id: string }) => a.id === apiId));
      const v = await h.app.inject({
        method: 'GET',
        url: '/internal/data/v1/snapshot/version',
        headers: adminAuth,
      });
      assert.deepEqual(v.json(), { version: expected.version });

      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/internal/data/v1/snapshot' })).statusCode,
        401,
      );
      const pub = await userAuth(h, 'paul', ['publisher', 'creator', 'subscriber']);
      const denied = await h.app.inject({ method: 'GET', url: '/internal/data/v1/snapshot', headers: pub });
      assert.equal(denied.statusCode, 403);
      assert.equal(denied.json().errorCode, 'INSUFFICIENT_SCOPE');
      assert.equal(
        (await h.app.inject({ method: 'GET', url: '/internal/data/v1/snapshot/version', headers: pub }))
          .statusCode,
        403,
      );
    } finally {
      await h.close();
    }
  });
}
