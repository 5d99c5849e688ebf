import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'yaml';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness } from '../../../../test/support/control-plane-harness.js';
import { publisherRoutes } from '../index.js';
import { importZip, zipFixture } from '../test-support/api-project-zips.js';
import { adminAuth, counts, publishedApi, PUB, userAuth } from '../test-support/publisher-fixtures.js';

const withoutTimes = (dto: Record<string, unknown>) => {
  const { createdTime: _c, lastUpdatedTime: _u, id: _i, ...rest } = dto;
  return rest;
};

for (const d of await testDialects()) {
  test(`API export on ${d.name}: apictl's layout, YAML and JSON, by id or by name and version`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const id = await publishedApi(h, { tags: ['pets'] });
      const res = await h.app.inject({
        url: `${PUB}/apis/export?apiId=${id}&format=YAML`,
        headers: adminAuth,
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/zip');
      assert.equal(res.headers['content-disposition'], 'attachment; filename="Petstore_1.0.0.zip"');
      const files = unzipSync(res.rawPayload);
      assert.deepEqual(Object.keys(files).sort(), [
        'Petstore-1.0.0/Definitions/swagger.yaml',
        'Petstore-1.0.0/api.yaml',
        'Petstore-1.0.0/deployment_environments.yaml',
      ]);
      const api = parse(strFromU8(files['Petstore-1.0.0/api.yaml'] as Uint8Array));
      assert.equal(api.type, 'api');
      assert.equal(api.version, 'v4.5.0');
      const current = await h.app.inject({ url: `${PUB}/apis/${id}`, headers: adminAuth });
      assert.deepEqual(api.data, current.json());
      const swagger = parse(strFromU8(files['Petstore-1.0.0/Definitions/swagger.yaml'] as Uint8Array));
      assert.deepEqual(Object.keys(swagger.paths), ['/pets', '/pets/{id}']);
      assert.deepEqual(parse(strFromU8(files['Petstore-1.0.0/deployment_environments.yaml'] as Uint8Array)), {
        type: 'deployment_environments',
        version: 'v4.5.0',
        data: [{ displayOnDevportal: true, deploymentEnvironment: 'Default', deploymentVhost: 'localhost' }],
      });

      const json = await h.app.inject({
        url: `${PUB}/apis/export?name=Petstore&version=1.0.0&providerName=admin&format=JSON&preserveStatus=false`,
        headers: adminAuth,
      });
      assert.equal(json.statusCode, 200, json.body);
      const jf = unzipSync(json.rawPayload);
      const apiJson = JSON.parse(strFromU8(jf['Petstore-1.0.0/api.json'] as Uint8Array));
      assert.equal(apiJson.data.lifeCycleStatus, 'CREATED');
      assert.ok(jf['Petstore-1.0.0/Definitions/swagger.json']);

      const missing = await h.app.inject({
        url: `${PUB}/apis/export?name=Petstore&version=9`,
        headers: adminAuth,
      });
      assert.equal(missing.statusCode, 404);
      assert.equal(missing.json().errorCode, 'API_NOT_FOUND');
      const other = await h.app.inject({
        url: `${PUB}/apis/export?name=Petstore&version=1.0.0&providerName=someone`,
        headers: adminAuth,
      });
      assert.equal(other.statusCode, 404);
      const noKey = await h.app.inject({ url: `${PUB}/apis/export`, headers: adminAuth });
      assert.equal(noKey.statusCode, 400);
      assert.equal(noKey.json().errorCode, 'VALIDATION_FAILED');
      const badFormat = await h.app.inject({
        url: `${PUB}/apis/export?apiId=${id}&format=XML`,
        headers: adminAuth,
      });
      assert.equal(badFormat.statusCode, 400);
      const anonymous = await h.app.inject({ url: `${PUB}/apis/export?apiId=${id}` });
      assert.equal(anonymous.statusCode, 401);
      const subscriber = await userAuth(h, 'sub1', ['subscriber']);
      const forbidden = await h.app.inject({ url: `${PUB}/apis/export?apiId=${id}`, headers: subscriber });
      assert.equal(forbidden.statusCode, 403);
    } finally {
      await h.close();
    }
  });

  test(`API import on ${d.name}: an export comes back with its definition, state and deployment; overwrite; nothing written on refusal`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const id = await publishedApi(h);
      const before = (await h.app.inject({ url: `${PUB}/apis/${id}`, headers: adminAuth })).json();
      const zip = (await h.app.inject({ url: `${PUB}/apis/export?apiId=${id}`, headers: adminAuth }))
        .rawPayload;

      const exists = await importZip(h, zip);
      assert.equal(exists.statusCode, 409, exists.body);
      assert.equal(exists.json().errorCode, 'API_EXISTS');

      const del = await h.app.inject({ method: 'DELETE', url: `${PUB}/apis/${id}`, headers: adminAuth });
      assert.equal(del.statusCode, 200, del.body);
      const updateMissing = await importZip(h, zip, '?overwrite=true');
      assert.equal(updateMissing.statusCode, 404, updateMissing.body);
      assert.deepEqual((await counts(h)).apis, 0);

      const imported = await importZip(h, zip);
      assert.equal(imported.statusCode, 200, imported.body);
      const newId = imported.json().id;
      assert.notEqual(newId, id, 'a new id, as WSO2 gives an imported API');
      assert.equal(imported.json().revision, '1');
      const after = (await h.app.inject({ url: `${PUB}/apis/${newId}`, headers: adminAuth })).json();
      assert.deepEqual(withoutTimes(after), withoutTimes(before));
      const deps = (
        await h.app.inject({ url: `${PUB}/apis/${newId}/deployments`, headers: adminAuth })
      ).json();
      assert.equal(deps.count, 1);
      assert.equal(deps.list[0].name, 'Default');

      const again = await importZip(h, zip, '?overwrite=true');
      assert.equal(again.statusCode, 200, again.body);
      assert.equal(again.json().revision, '2');
      assert.equal((await counts(h)).revisions, 2);
    } finally {
      await h.close();
    }
  });
}

for (const d of await testDialects()) {
  test(`API import on ${d.name}: a project in WSO2 4.x's exported layout (PizzaShackAPI-1.0.0) is created, published and deployed`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const res = await importZip(h, zipFixture('PizzaShackAPI-1.0.0'));
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().revision, '1');
      const api = (await h.app.inject({ url: `${PUB}/apis/${res.json().id}`, headers: adminAuth })).json();
      assert.equal(api.name, 'PizzaShackAPI');
      assert.equal(api.context, '/pizzashack');
      assert.equal(api.provider, 'admin');
      assert.equal(api.lifeCycleStatus, 'PUBLISHED');
      assert.deepEqual(api.policies, ['Unlimited', 'Gold']);
      assert.deepEqual(
        api.operations.map((o: { verb: string; target: string }) => `${o.verb} ${o.target}`),
        [
          'POST /order',
          'GET /menu',
          'GET /order/{orderId}',
          'PUT /order/{orderId}',
          'DELETE /order/{orderId}',
        ],
      );
      assert.equal(api.businessInformation.businessOwner, 'Jane Roe');
      const deps = (
        await h.app.inject({ url: `${PUB}/apis/${api.id}/deployments`, headers: adminAuth })
      ).json();
      assert.deepEqual(
        deps.list.map((x: { name: string; vhost: string }) => [x.name, x.vhost]),
        [['Default', 'localhost']],
      );
    } finally {
      await h.close();
    }
  });
}
