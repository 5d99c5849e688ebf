import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { fakeClock } from '../../core/index.js';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { rawDb } from '../../../test/support/raw-db.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, PUB, userAuth } from './test-support/publisher-fixtures.js';

const UNKNOWN = '00000000-0000-0000-0000-000000000000';

for (const d of await testDialects()) {
  test(`publisher lifecycle history on ${d.name}: creation and every change with who, when, from and to; pending-tasks`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()], { fakeTime: true });
    try {
      const paul = await userAuth(h, 'paul', ['publisher']);
      const sam = await userAuth(h, 'sam', ['subscriber']);
      const created = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody(),
      });
      const id = created.json().id as string;
      const t0 = h.clock.now();
      const lc = (action: string, auth = adminAuth) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/change-lifecycle?apiId=${id}&action=${encodeURIComponent(action)}`,
          headers: auth,
        });
      assert.equal((await lc('Publish')).statusCode, 200);
      (h.clock as ReturnType<typeof fakeClock>).advance(1500);
      assert.equal((await lc('Block', paul)).statusCode, 200);
      // A refused action is not history.
      assert.equal((await lc('Retire', paul)).statusCode, 400);
      const history = (auth = adminAuth, apiId = id) =>
        h.app.inject({ method: 'GET', url: `${PUB}/apis/${apiId}/lifecycle-history`, headers: auth });
      const res = await history();
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        count: 3,
        list: [
          { postState: 'Created', user: 'admin', updatedTime: new Date(t0).toISOString() },
          {
            previousState: 'Created',
            postState: 'Published',
            user: 'admin',
            updatedTime: new Date(t0).toISOString(),
          },
          {
            previousState: 'Published',
            postState: 'Blocked',
            user: 'paul',
            updatedTime: new Date(t0 + 1500).toISOString(),
          },
        ],
      });
      // Readers with a view scope may read it; others not; unknown APIs are 404.
      assert.equal((await history(paul)).statusCode, 200);
      assert.equal((await history(sam)).statusCode, 403);
      assert.equal((await history(adminAuth, UNKNOWN)).statusCode, 404);
      assert.equal(
        (await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}/lifecycle-history` })).statusCode,
        401,
      );

      // No approval workflow: nothing is ever pending, so deleting pending tasks is 200 and changes nothing.
      const pending = (auth = adminAuth, apiId = id) =>
        h.app.inject({
          method: 'DELETE',
          url: `${PUB}/apis/${apiId}/lifecycle-state/pending-tasks`,
          headers: auth,
        });
      const del = await pending(paul);
      assert.equal(del.statusCode, 200);
      assert.equal(del.body, '');
      assert.equal((await history()).json().count, 3);
      const state = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/lifecycle-state`,
        headers: adminAuth,
      });
      assert.equal(state.json().state, 'Blocked');
      assert.equal((await pending(sam)).statusCode, 403);
      const missing = await pending(adminAuth, UNKNOWN);
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'API_NOT_FOUND');

      // The history goes with the API.
      const gone = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${id}`, headers: adminAuth });
      assert.equal(gone.statusCode, 200, gone.body);
      assert.equal((await history()).statusCode, 404);
      const left = await rawDb(h.store)
        .selectFrom('api_lifecycle_events')
        .selectAll()
        .where('api_id', '=', id)
        .execute();
      assert.deepEqual(left, []);
    } finally {
      await h.close();
    }
  });
}
