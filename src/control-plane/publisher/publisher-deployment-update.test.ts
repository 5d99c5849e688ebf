import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { rawDb } from '../../../test/support/raw-db.js';
import { devportalApiRoutes } from '../devportal/apis/index.js';
import { environmentOfDeploymentId } from './deployment-update.js';
import { publisherRoutes } from './index.js';
import { adminAuth, DEV, PUB, publishedApi, userAuth } from './test-support/publisher-fixtures.js';

/** WSO2's deployment id: the base64url of the environment name. */
const DEFAULT_ID = Buffer.from('Default').toString('base64url');

test('a deployment id is exactly the unpadded base64url of an environment name', () => {
  assert.equal(environmentOfDeploymentId('RGVmYXVsdA'), 'Default');
  assert.equal(environmentOfDeploymentId('UHJvZHVjdGlvbiBhbmQgU2FuZGJveA'), 'Production and Sandbox');
  for (const bad of ['RGVmYXVsdA==', 'RGVmYXVsdB', 'RGVm YXVsdA', 'Default', '', 'R', '../etc', '%52'])
    assert.equal(environmentOfDeploymentId(bad), null, bad);
});

async function visibility(h: Harness, apiId: string) {
  const rows = await rawDb(h.store)
    .selectFrom('api_deployments')
    .select(['display_on_devportal', 'revision_id', 'vhost'])
    .where('api_id', '=', apiId)
    .execute();
  return rows;
}

for (const d of await testDialects()) {
  test(`PUT /apis/{apiId}/deployments/{deploymentId} on ${d.name}: displayOnDevportal changes, nothing else; refusals write nothing`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes(), devportalApiRoutes]);
    try {
      const id = await publishedApi(h);
      const deployments = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/deployments`,
        headers: adminAuth,
      });
      const [deployed] = deployments.json().list as { revisionUuid: string; displayOnDevportal: boolean }[];
      assert.equal(deployed!.displayOnDevportal, true);
      const put = (body: unknown, deploymentId = DEFAULT_ID, auth = adminAuth, apiId = id) =>
        h.app.inject({
          method: 'PUT',
          url: `${PUB}/apis/${apiId}/deployments/${deploymentId}`,
          headers: auth,
          payload: body as Record<string, unknown>,
        });
      const ok = await put({ ...deployed, displayOnDevportal: false });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().displayOnDevportal, false);
      assert.equal(ok.json().revisionUuid, deployed!.revisionUuid);
      assert.equal(ok.json().name, 'Default');
      assert.deepEqual(await visibility(h, id), [
        { display_on_devportal: 0, revision_id: deployed!.revisionUuid, vhost: 'localhost' },
      ]);
      // The Developer Portal no longer shows the gateway URLs of a hidden deployment.
      const urlsShown = async () =>
        (await h.app.inject({ method: 'GET', url: `${DEV}/apis/${id}`, headers: adminAuth })).json()
          .endpointURLs.length;
      assert.equal(await urlsShown(), 0);
      const listed = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/deployments`,
        headers: adminAuth,
      });
      assert.equal(listed.json().list[0].displayOnDevportal, false);

      // Redeploying without saying keeps the visibility; saying so changes it.
      const redeploy = (payload: unknown) =>
        h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/${id}/deploy-revision?revisionId=${deployed!.revisionUuid}`,
          headers: adminAuth,
          payload: payload as Record<string, unknown>[],
        });
      assert.equal((await redeploy([{ name: 'Default', vhost: 'localhost' }])).statusCode, 201);
      assert.equal((await visibility(h, id))[0]!.display_on_devportal, 0);
      const shown = await redeploy([{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }]);
      assert.equal(shown.json()[0].displayOnDevportal, true);
      assert.equal(await urlsShown(), 1);

      // Only displayOnDevportal (default true, as WSO2's DTO) is sent: fine.
      assert.equal((await put({ displayOnDevportal: false })).statusCode, 200);
      assert.equal((await put({})).json().displayOnDevportal, true);

      const before = await visibility(h, id);
      const refusals: [unknown, string, number, string][] = [
        [
          { revisionUuid: '11111111-1111-1111-1111-111111111111', displayOnDevportal: false },
          DEFAULT_ID,
          400,
          'VALIDATION_FAILED',
        ],
        [{ vhost: 'other.example.com', displayOnDevportal: false }, DEFAULT_ID, 400, 'VALIDATION_FAILED'],
        [{ name: 'Production', displayOnDevportal: false }, DEFAULT_ID, 400, 'VALIDATION_FAILED'],
        [{ displayOnDevportal: 'no' }, DEFAULT_ID, 400, 'VALIDATION_FAILED'],
        [{ displayOnDevportal: false, colour: 'red' }, DEFAULT_ID, 400, 'UNSUPPORTED_FIELD'],
        [[{ displayOnDevportal: false }], DEFAULT_ID, 400, 'VALIDATION_FAILED'],
        [{ displayOnDevportal: false }, 'RGVmYXVsdA==', 404, 'NOT_FOUND'],
        [{ displayOnDevportal: false }, 'Default', 404, 'NOT_FOUND'],
        [{ displayOnDevportal: false }, Buffer.from('Production').toString('base64url'), 404, 'NOT_FOUND'],
      ];
      for (const [body, deploymentId, status, errorCode] of refusals) {
        const r = await put(body, deploymentId);
        assert.equal(r.statusCode, status, `${JSON.stringify(body)} ${deploymentId}: ${r.body}`);
        assert.equal(r.json().errorCode, errorCode, r.body);
      }
      const unknown = await put({}, DEFAULT_ID, adminAuth, '00000000-0000-0000-0000-000000000000');
      assert.equal(unknown.statusCode, 404);
      assert.equal(unknown.json().errorCode, 'API_NOT_FOUND');
      const sam = await userAuth(h, 'sam', ['subscriber']);
      assert.equal((await put({ displayOnDevportal: false }, DEFAULT_ID, sam)).statusCode, 403);
      const anonymous = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}/deployments/${DEFAULT_ID}`,
        payload: { displayOnDevportal: false },
      });
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(await visibility(h, id), before, 'refusals wrote nothing');

      // An undeployed API has no deployment to update.
      const undeploy = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/undeploy-revision?revisionId=${deployed!.revisionUuid}`,
        headers: adminAuth,
        payload: [{ name: 'Default', vhost: 'localhost' }],
      });
      assert.equal(undeploy.statusCode, 201, undeploy.body);
      assert.equal((await put({ displayOnDevportal: true })).statusCode, 404);
    } finally {
      await h.close();
    }
  });
}
