import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, PUB } from './test-support/publisher-fixtures.js';

for (const d of await testDialects()) {
  test(`publisher APIs on ${d.name}: OpenAPI definition and import`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const id = (
        await h.app.inject({ method: 'POST', url: `${PUB}/apis`, headers: adminAuth, payload: apiBody() })
      ).json().id;
      const sw = await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}/swagger`, headers: adminAuth });
      assert.equal(sw.statusCode, 200);
      const doc = sw.json();
      assert.equal(doc.openapi, '3.0.1');
      assert.deepEqual(doc.info, { title: 'Petstore', description: 'Pets', version: '1.0.0' });
      assert.deepEqual(Object.keys(doc.paths), ['/pets', '/pets/{id}']);
      assert.equal(doc.paths['/pets/{id}'].delete['x-throttling-tier'], '10KPerMin');
      assert.equal(doc.paths['/pets/{id}'].delete.parameters[0].name, 'id');
      assert.equal(doc['x-wso2-basePath'], '/pets/1.0.0');

      const newDoc = {
        openapi: '3.0.1',
        info: { title: 'Petstore', version: '1.0.0' },
        paths: {
          '/pets': {
            get: { 'x-auth-type': 'None' },
            post: { security: [{ default: ['pets:write'] }], 'x-throttling-tier': '50KPerMin' },
          },
        },
        components: {
          securitySchemes: {
            default: {
              type: 'oauth2',
              flows: {
                implicit: {
                  authorizationUrl: 'https://x',
                  scopes: { 'pets:write': 'Write' },
                  'x-scopes-bindings': { 'pets:write': 'admin,creator' },
                },
              },
            },
          },
        },
      };
      const put = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}/swagger`,
        headers: adminAuth,
        payload: newDoc,
      });
      assert.equal(put.statusCode, 200, put.body);
      const api = (
        await h.app.inject({ method: 'GET', url: `${PUB}/apis/${id}`, headers: adminAuth })
      ).json();
      assert.deepEqual(api.operations, [
        { target: '/pets', verb: 'GET', authType: 'None', throttlingPolicy: 'Unlimited', scopes: [] },
        {
          target: '/pets',
          verb: 'POST',
          authType: 'Application & Application User',
          throttlingPolicy: '50KPerMin',
          scopes: ['pets:write'],
        },
      ]);
      assert.deepEqual(api.scopes, [
        {
          scope: {
            name: 'pets:write',
            displayName: 'pets:write',
            description: 'Write',
            bindings: ['admin', 'creator'],
          },
          shared: false,
        },
      ]);
      const badDoc = await h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}/swagger`,
        headers: adminAuth,
        payload: { hello: 1 },
      });
      assert.equal(badDoc.statusCode, 400);

      const imported = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/import-openapi`,
        headers: adminAuth,
        payload: {
          definition: {
            ...newDoc,
            info: { title: 'Imported', version: '2.1' },
            servers: [{ url: 'https://backend.example.com/v2' }],
          },
          additionalProperties: JSON.stringify({ context: '/imported', policies: ['Bronze'] }),
        },
      });
      assert.equal(imported.statusCode, 201, imported.body);
      const i = imported.json();
      assert.equal(i.name, 'Imported');
      assert.equal(i.version, '2.1');
      assert.equal(i.context, '/imported');
      assert.deepEqual(i.policies, ['Bronze']);
      assert.equal(i.endpointConfig.production_endpoints.url, 'https://backend.example.com/v2');
      assert.equal(i.operations.length, 2);
      const noContext = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis/import-openapi`,
        headers: adminAuth,
        payload: { definition: { ...newDoc, info: { title: 'NoCtx', version: '1' } } },
      });
      assert.equal(noContext.statusCode, 400);
      assert.match(noContext.json().description, /context is required/);
      const noAuth = await h.app.inject({ method: 'POST', url: `${PUB}/apis/import-openapi`, payload: {} });
      assert.equal(noAuth.statusCode, 401);
    } finally {
      await h.close();
    }
  });
}
