import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, PUB } from './test-support/publisher-fixtures.js';

for (const d of await testDialects()) {
  test(`publisher APIs on ${d.name}: lifecycle state machine`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const id = (
        await h.app.inject({ method: 'POST', url: `${PUB}/apis`, headers: adminAuth, payload: apiBody() })
      ).json().id;
      const state = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/lifecycle-state`,
        headers: adminAuth,
      });
      assert.deepEqual(state.json(), {
        state: 'Created',
        checkItems: [],
        availableTransitions: [
          { event: 'Publish', targetState: 'Published' },
          { event: 'Deploy as a Prototype', targetState: 'Prototyped' },
        ],
      });
      const lc = (action: string, apiId = id) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/change-lifecycle?apiId=${apiId}&action=${encodeURIComponent(action)}`,
          headers: adminAuth,
        });
      const invalid = await lc('Retire');
      assert.equal(invalid.statusCode, 400);
      assert.match(invalid.json().description, /not allowed in lifecycle state Created/);
      const pub = await lc('Publish');
      assert.equal(pub.statusCode, 200);
      assert.equal(pub.json().workflowStatus, 'APPROVED');
      assert.equal(pub.json().lifecycleState.state, 'Published');
      for (const [action, expected] of [
        ['Block', 'BLOCKED'],
        ['Re-Publish', 'PUBLISHED'],
        ['Demote to Created', 'CREATED'],
        ['Publish', 'PUBLISHED'],
        ['Deprecate', 'DEPRECATED'],
        ['Retire', 'RETIRED'],
      ] as const) {
        const r = await lc(action);
        assert.equal(r.statusCode, 200, `${action}: ${r.body}`);
        const api = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth });
        assert.equal(api.json().lifeCycleStatus, expected);
      }
      assert.equal((await lc('Publish')).statusCode, 400);
      assert.equal((await lc('Publish', '00000000-0000-0000-0000-000000000000')).statusCode, 404);
      const missing = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/change-lifecycle?apiId=${id}`,
        headers: adminAuth,
      });
      assert.equal(missing.statusCode, 400);
      // Publishing needs an endpoint.
      const bare = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'Bare', context: '/bare', endpointConfig: null }),
      });
      const noEp = await lc('Publish', bare.json().id);
      assert.equal(noEp.statusCode, 400);
      assert.match(noEp.json().description, /no endpoint/);
    } finally {
      await h.close();
    }
  });
}
