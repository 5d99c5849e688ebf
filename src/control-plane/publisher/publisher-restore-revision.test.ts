import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { rawDb } from '../../../test/support/raw-db.js';
import { publisherRoutes } from './index.js';
import {
  adminAuth,
  apiBody,
  counts,
  PUB,
  publishedApi,
  userAuth,
} from './test-support/publisher-fixtures.js';

for (const d of await testDialects()) {
  test(`POST /apis/{apiId}/restore-revision on ${d.name}: the working copy becomes the revision; deployments follow; refusals write nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const id = await publishedApi(h, { description: 'first' });
      const url = `${PUB}/apis/${id}`;
      const [rev1] = (
        await h.app.inject({ method: 'GET', url: `${url}/revisions`, headers: adminAuth })
      ).json().list as { id: string }[];
      const changed = await h.app.inject({
        method: 'PUT',
        url,
        headers: adminAuth,
        payload: apiBody({ description: 'second', context: '/pets2' }),
      });
      assert.equal(changed.statusCode, 200, changed.body);
      const rev2 = await h.app.inject({
        method: 'POST',
        url: `${url}/revisions`,
        headers: adminAuth,
        payload: { description: 'second' },
      });
      const deploy = await h.app.inject({
        method: 'POST',
        url: `${url}/deploy-revision?revisionId=${rev2.json().id}`,
        headers: adminAuth,
        payload: [{ name: 'Default', vhost: 'localhost', displayOnDevportal: false }],
      });
      assert.equal(deploy.statusCode, 201, deploy.body);

      const restore = (revisionId: string | null, apiId = id, auth = adminAuth) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/${apiId}/restore-revision${revisionId === null ? '' : `?revisionId=${revisionId}`}`,
          headers: auth,
        });
      const res = await restore(rev1!.id);
      assert.equal(res.statusCode, 201, res.body);
      const dto = res.json();
      assert.equal(dto.id, id);
      assert.equal(dto.description, 'first');
      assert.equal(dto.context, '/pets');
      assert.equal(dto.lifeCycleStatus, 'PUBLISHED', 'the lifecycle state is not part of a revision');
      const now = await h.app.inject({ method: 'GET', url, headers: adminAuth });
      assert.equal(now.json().description, 'first');
      assert.equal(now.json().context, '/pets');
      // The Default environment now serves the restored revision (visibility kept).
      const deployments = await h.app.inject({
        method: 'GET',
        url: `${url}/deployments`,
        headers: adminAuth,
      });
      assert.deepEqual(
        deployments
          .json()
          .list.map((x: { revisionUuid: string; displayOnDevportal: boolean }) => [
            x.revisionUuid,
            x.displayOnDevportal,
          ]),
        [[rev1!.id, false]],
      );

      // Refusals: no such revision, another API's revision, no revisionId, unknown API, no scope.
      const other = await publishedApi(h, { name: 'Other', context: '/other' });
      const [otherRev] = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${other}/revisions`, headers: adminAuth })
      ).json().list as { id: string }[];
      const before = await counts(h);
      const definition = async () =>
        (await rawDb(h.store).selectFrom('apis').select('definition').where('id', '=', id).executeTakeFirst())
          ?.definition;
      const frozen = await definition();
      const sam = await userAuth(h, 'sam', ['subscriber']);
      for (const [r, status, errorCode] of [
        [await restore('11111111-1111-1111-1111-111111111111'), 404, 'NOT_FOUND'],
        [await restore(otherRev!.id), 404, 'NOT_FOUND'],
        [await restore(null), 400, 'VALIDATION_FAILED'],
        [await restore(rev1!.id, '00000000-0000-0000-0000-000000000000'), 404, 'API_NOT_FOUND'],
        [await restore(rev1!.id, id, sam), 403, 'INSUFFICIENT_SCOPE'],
      ] as const) {
        assert.equal(r.statusCode, status, r.body);
        assert.equal(r.json().errorCode, errorCode, r.body);
      }
      assert.equal(
        (await h.app.inject({ method: 'POST', url: `${url}/restore-revision?revisionId=${rev1!.id}` }))
          .statusCode,
        401,
      );
      assert.deepEqual(await counts(h), before);
      assert.equal(await definition(), frozen);

      // Restoring a context another API took since is a conflict, not a silent clash at the gateway.
      await h.app.inject({ method: 'POST', url: `${url}/revisions`, headers: adminAuth, payload: {} });
      const moved = await h.app.inject({
        method: 'PUT',
        url,
        headers: adminAuth,
        payload: apiBody({ description: 'first', context: '/pets3' }),
      });
      assert.equal(moved.statusCode, 200, moved.body);
      const taker = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'Taker', context: '/pets' }),
      });
      assert.equal(taker.statusCode, 201, taker.body);
      const clash = await restore(rev1!.id);
      assert.equal(clash.statusCode, 409, clash.body);
      assert.equal(clash.json().errorCode, 'API_EXISTS');
      assert.equal((await h.app.inject({ method: 'GET', url, headers: adminAuth })).json().context, '/pets3');
    } finally {
      await h.close();
    }
  });
}
