import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { deploySample, publisherRoutes } from './index.js';
import {
  adminAuth,
  apiBody,
  counts,
  insertApplication,
  PUB,
  publishedApi,
  userAuth,
} from './test-support/publisher-fixtures.js';
import { rawDb } from '../../../test/support/raw-db.js';

const DEFAULT_ENV = [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }];

for (const d of await testDialects()) {
  test(`publisher revisions on ${d.name}: create, deploy, undeploy, snapshot`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const deltas = h.recordDeltas();
      const id = (
        await h.app.inject({ method: 'POST', url: `${PUB}/apis`, headers: adminAuth, payload: apiBody() })
      ).json().id;
      const rev = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/revisions`,
        headers: adminAuth,
        payload: { description: 'first' },
      });
      assert.equal(rev.statusCode, 201);
      const r1 = rev.json();
      assert.deepEqual(
        { ...r1, id: 'X', createdTime: 'T' },
        {
          displayName: 'Revision 1',
          id: 'X',
          description: 'first',
          createdTime: 'T',
          apiInfo: { id },
          deploymentInfo: [],
        },
      );
      const badEnv = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision?revisionId=${r1.id}`,
        headers: adminAuth,
        payload: [{ name: 'Production and Sandbox', vhost: 'localhost' }],
      });
      assert.equal(badEnv.statusCode, 400);
      assert.match(badEnv.json().description, /only 'Default' exists/);
      const noRev = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(noRev.statusCode, 400);
      const unknownRev = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision?revisionId=00000000-0000-0000-0000-000000000000`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(unknownRev.statusCode, 404);
      assert.equal((await counts(h)).deployments, 0);

      // A subscriber cannot deploy. (A creator can: WSO2's document takes apim:api_create, apim:api_manage or
      // apim:api_publish for deploy-revision, and Portico authorizes REST by those per-operation scopes.)
      const subscriber = await userAuth(h, 'sam', ['subscriber']);
      const creator = await userAuth(h, 'carol', ['creator']);
      const denied = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision?revisionId=${r1.id}`,
        headers: subscriber,
        payload: DEFAULT_ENV,
      });
      assert.equal(denied.statusCode, 403);

      const dep = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision?revisionId=${r1.id}`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(dep.statusCode, 201);
      assert.deepEqual(
        dep
          .json()
          .map((x: Record<string, unknown>) => ({ ...x, deployedTime: 'T', successDeployedTime: 'T' })),
        [
          {
            revisionUuid: r1.id,
            name: 'Default',
            vhost: 'localhost',
            displayOnDevportal: true,
            deployedTime: 'T',
            successDeployedTime: 'T',
            status: 'APPROVED',
          },
        ],
      );
      assert.ok((await deltas.all()).some((d) => d.kind === 'api' && d.key === id && d.api?.id === id));
      let snap = await h.ctx.snapshots.rebuild();
      const inSnap = snap.apis.find((a) => a.id === id);
      assert.ok(inSnap);
      assert.equal(inSnap.context, '/pets');
      assert.equal(inSnap.lifecycle, 'CREATED');
      assert.deepEqual(inSnap.endpoints, {
        production: 'http://127.0.0.1:9/pets',
        sandbox: 'http://127.0.0.1:9/sandbox',
        timeoutMs: 30000,
      });

      // Edits reach the gateway only with a new revision.
      await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}`,
        headers: adminAuth,
        payload: { operations: [{ target: '/only', verb: 'GET' }] },
      });
      snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.apis.find((a) => a.id === id)?.resources.map((r) => r.target),
        ['/pets', '/pets/{id}'],
      );
      const r2 = (
        await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/${id}/revisions`,
          headers: creator,
          payload: {},
        })
      ).json();
      assert.equal(r2.displayName, 'Revision 2');
      await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/deploy-revision?revisionId=${r2.id}`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(
        snap.apis.find((a) => a.id === id)?.resources.map((r) => r.target),
        ['/only'],
      );

      const list = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/revisions`,
        headers: adminAuth,
      });
      assert.equal(list.json().count, 2);
      assert.deepEqual(
        list.json().list.map((r: { deploymentInfo: unknown[] }) => r.deploymentInfo.length),
        [0, 1],
      );
      const deployedOnly = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/revisions?query=deployed:true`,
        headers: adminAuth,
      });
      assert.deepEqual(
        deployedOnly.json().list.map((r: { id: string }) => r.id),
        [r2.id],
      );
      const deployments = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/${id}/deployments`,
        headers: adminAuth,
      });
      assert.equal(deployments.json().count, 1);
      assert.equal(deployments.json().list[0].revisionUuid, r2.id);

      const delDeployed = await h.app.inject({
        method: 'DELETE',
        url: `${PUB}/apis/${id}/revisions/${r2.id}`,
        headers: adminAuth,
      });
      assert.equal(delDeployed.statusCode, 400);
      const delOld = await h.app.inject({
        method: 'DELETE',
        url: `${PUB}/apis/${id}/revisions/${r1.id}`,
        headers: adminAuth,
      });
      assert.equal(delOld.statusCode, 200);
      assert.equal(delOld.json().count, 1);

      const undeployWrong = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/undeploy-revision?revisionId=${r1.id}`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(undeployWrong.statusCode, 404);
      const undeploy = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/undeploy-revision?revisionId=${r2.id}`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(undeploy.statusCode, 201);
      assert.deepEqual(undeploy.json(), []);
      assert.ok((await deltas.all()).some((d) => d.kind === 'api' && d.key === id && d.api === null));
      snap = await h.ctx.snapshots.rebuild();
      assert.equal(
        snap.apis.find((a) => a.id === id),
        undefined,
      );
      const twice = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/undeploy-revision?revisionId=${r2.id}`,
        headers: adminAuth,
        payload: DEFAULT_ENV,
      });
      assert.equal(twice.statusCode, 400);

      // WSO2's revision limit.
      for (let i = 0; i < 4; i++) {
        const r = await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis/${id}/revisions`,
          headers: adminAuth,
          payload: {},
        });
        assert.equal(r.statusCode, 201);
      }
      const sixth = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/${id}/revisions`,
        headers: adminAuth,
        payload: {},
      });
      assert.equal(sixth.statusCode, 400);
      assert.match(sixth.json().description, /Maximum number of revisions/);
      const missingApi = await h.app.inject({
        method: 'GET',
        url: `${PUB}/apis/00000000-0000-0000-0000-000000000000/revisions`,
        headers: adminAuth,
      });
      assert.equal(missingApi.statusCode, 404);
      const anon = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}/revisions` });
      assert.equal(anon.statusCode, 401);
    } finally {
      await h.close();
    }
  });

  test(`publisher sample on ${d.name}: one call deploys PizzaShackAPI into the snapshot`, async () => {
    const backend = 'http://127.0.0.1:9763/am/sample/pizzashack/v1/api/';
    const h = await createHarness(await d.open(), [publisherRoutes({ sampleBackendUrl: backend })]);
    try {
      const sub = await userAuth(h, 'sam', ['subscriber']);
      const denied = await h.app.inject({ method: 'POST', url: `${PUB}/apis/deploy-sample`, headers: sub });
      assert.equal(denied.statusCode, 403);
      const creator = await userAuth(h, 'carol', ['creator']);
      const creatorOnly = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/deploy-sample`,
        headers: creator,
      });
      assert.equal(creatorOnly.statusCode, 403);
      assert.equal((await counts(h)).apis, 0);

      const res = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/deploy-sample`,
        headers: adminAuth,
      });
      assert.equal(res.statusCode, 201, res.body);
      const api = res.json();
      assert.equal(api.name, 'PizzaShackAPI');
      assert.equal(api.context, '/pizzashack');
      assert.equal(api.version, '1.0.0');
      assert.equal(api.lifeCycleStatus, 'PUBLISHED');
      assert.equal(api.description, 'This is a simple API for Pizza Shack online pizza delivery store.');
      assert.deepEqual(api.policies, ['Unlimited', 'Gold', 'Silver', 'Bronze']);
      assert.deepEqual(api.securityScheme, ['oauth2', 'oauth_basic_auth_api_key_mandatory']);
      assert.deepEqual(api.endpointConfig, {
        endpoint_type: 'http',
        production_endpoints: { url: backend },
        sandbox_endpoints: { url: backend },
      });
      const snap = await h.ctx.snapshots.rebuild();
      const s = snap.apis.find((a) => a.name === 'PizzaShackAPI');
      assert.ok(s);
      assert.equal(s.lifecycle, 'PUBLISHED');
      assert.equal(s.context, '/pizzashack');
      assert.deepEqual(
        s.resources.map((r) => `${r.verb} ${r.target} ${r.authType} ${r.throttlingPolicy}`),
        [
          'GET /menu Application & Application User Unlimited',
          'POST /order Application & Application User Unlimited',
          'GET /order/{orderId} Application & Application User Unlimited',
          'PUT /order/{orderId} Application & Application User Unlimited',
          'DELETE /order/{orderId} Application & Application User Unlimited',
        ],
      );
      assert.deepEqual(s.securitySchemes, ['oauth2', 'oauth_basic_auth_api_key_mandatory']);
      assert.equal(s.endpoints.production, backend);

      const again = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/deploy-sample`,
        headers: adminAuth,
      });
      // Repeated (the walkthrough runs it after the first start deployed the sample): the sample as it is, 200.
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().id, api.id);
      assert.equal(again.json().lifeCycleStatus, 'PUBLISHED');
      assert.equal((await deploySample(h.ctx)).created, false);
      assert.equal((await counts(h)).apis, 1);
    } finally {
      await h.close();
    }
  });

  test(`publisher sample on ${d.name}: another API on the sample's context is never overwritten (409)`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const other = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ name: 'MyPizza', context: '/pizzashack' }),
      });
      assert.equal(other.statusCode, 201, other.body);
      const res = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/deploy-sample`,
        headers: adminAuth,
      });
      assert.equal(res.statusCode, 409, res.body);
      assert.equal(res.json().errorCode, 'API_EXISTS');
      assert.equal((await counts(h)).apis, 1);
    } finally {
      await h.close();
    }
  });

  test(`publisher subscriptions on ${d.name}: list, block, unblock reach the snapshot`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const apiId = await publishedApi(h);
      const app = await insertApplication(h, 'sam', 'SamApp');
      const now = Date.now();
      await rawDb(h.store)
        .insertInto('subscriptions')
        .values({
          uuid: 'sub-1',
          application_id: app.id,
          api_id: apiId,
          policy: 'Gold',
          requested_policy: 'Gold',
          status: 'UNBLOCKED',
          created_at: now,
          updated_at: now,
        })
        .execute();
      const list = await h.app.inject({
        method: 'GET',
        url: `${PUB}/subscriptions?apiId=${apiId}`,
        headers: adminAuth,
      });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().list, [
        {
          subscriptionId: 'sub-1',
          applicationInfo: {
            applicationId: app.uuid,
            name: 'SamApp',
            subscriber: 'sam',
            description: '',
            subscriptionCount: 1,
          },
          apiId,
          throttlingPolicy: 'Gold',
          requestedThrottlingPolicy: 'Gold',
          subscriptionStatus: 'UNBLOCKED',
        },
      ]);
      const deltas = h.recordDeltas();
      const creator = await userAuth(h, 'carol', ['creator']);
      const denied = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=sub-1&blockState=BLOCKED`,
        headers: creator,
      });
      assert.equal(denied.statusCode, 403);
      const badState = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=sub-1&blockState=FROZEN`,
        headers: adminAuth,
      });
      assert.equal(badState.statusCode, 400);
      const missing = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=nope&blockState=BLOCKED`,
        headers: adminAuth,
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'SUBSCRIPTION_NOT_FOUND');

      const block = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=sub-1&blockState=PROD_ONLY_BLOCKED`,
        headers: adminAuth,
      });
      assert.equal(block.statusCode, 200);
      assert.ok(
        (await deltas.all()).some(
          (d) =>
            d.kind === 'subscription' && d.key === 'sub-1' && d.subscription?.status === 'PROD_ONLY_BLOCKED',
        ),
      );
      let snap = await h.ctx.snapshots.rebuild();
      assert.equal(snap.subscriptions.find((s) => s.id === 'sub-1')?.status, 'PROD_ONLY_BLOCKED');
      await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/block-subscription?subscriptionId=sub-1&blockState=BLOCKED`,
        headers: adminAuth,
      });
      snap = await h.ctx.snapshots.rebuild();
      assert.equal(snap.subscriptions.find((s) => s.id === 'sub-1')?.status, 'BLOCKED');
      const unblock = await h.app.inject({
        method: 'POST',
        url: `${PUB}/subscriptions/unblock-subscription?subscriptionId=sub-1`,
        headers: adminAuth,
      });
      assert.equal(unblock.statusCode, 200);
      snap = await h.ctx.snapshots.rebuild();
      assert.equal(snap.subscriptions.find((s) => s.id === 'sub-1')?.status, 'UNBLOCKED');

      // An API with subscriptions cannot be deleted (WSO2 behaviour).
      const del = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${apiId}`, headers: adminAuth });
      assert.equal(del.statusCode, 409);
      assert.equal((await counts(h)).apis, 1);
      const anon = await h.app.inject({ method: 'GET', url: `${PUB}/subscriptions?apiId=${apiId}` });
      assert.equal(anon.statusCode, 401);
    } finally {
      await h.close();
    }
  });
}
