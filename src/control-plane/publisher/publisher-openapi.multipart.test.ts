import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { ADDITIONAL, apiCount, PETSTORE_YAML, send, yamlFile } from './test-support/openapi-uploads.js';
import { adminAuth, PUB } from './test-support/publisher-fixtures.js';

for (const d of await testDialects()) {
  test(`publisher OpenAPI uploads on ${d.name}: import-openapi, PUT swagger and validate-openapi as multipart`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      // import-openapi: -F file=@openapi.yaml -F additionalProperties=@data.json (both file parts, as curl sends).
      const imported = await send(h, 'POST', `${PUB}/apis/import-openapi`, {
        file: yamlFile(),
        additionalProperties: { file: ADDITIONAL, filename: 'data.json', type: 'application/json' },
      });
      assert.equal(imported.statusCode, 201, imported.body);
      const api = imported.json();
      assert.equal(imported.headers.location, `${PUB}/apis/${api.id}`);
      assert.equal(api.name, 'PetstoreUpload');
      assert.equal(api.version, '1.0.5');
      assert.equal(api.context, '/petstore-upload');
      assert.equal(api.description, 'A sample API\nover two lines');
      assert.deepEqual(api.policies, ['Unlimited']);
      assert.equal(api.endpointConfig.production_endpoints.url, 'https://petstore.example.com/v1');
      assert.deepEqual(api.operations, [
        {
          target: '/pet',
          verb: 'POST',
          authType: 'Application & Application User',
          throttlingPolicy: '50KPerMin',
          scopes: ['write:pets'],
        },
        { target: '/pet/{petId}', verb: 'GET', authType: 'None', throttlingPolicy: 'Unlimited', scopes: [] },
      ]);
      assert.deepEqual(api.scopes[0].scope.bindings, ['admin']);

      // inlineAPIDefinition (JSON text) as a plain field, additionalProperties as a plain field too.
      const inline = await send(h, 'POST', `${PUB}/apis/import-openapi`, {
        inlineAPIDefinition: JSON.stringify({
          openapi: '3.0.1',
          info: { title: 'Inline', version: '2' },
          paths: { '/x': { get: {} } },
        }),
        additionalProperties: JSON.stringify({ context: '/inline' }),
      });
      assert.equal(inline.statusCode, 201, inline.body);
      assert.deepEqual(
        [inline.json().name, inline.json().version, inline.json().context],
        ['Inline', '2', '/inline'],
      );

      // PUT swagger: -F apiDefinition=@swagger.yaml replaces the operations; `file` works the same.
      const v2 = PETSTORE_YAML.replace('  /pet:\n', '  /store/order:\n');
      const put = await send(h, 'PUT', `${PUB}/apis/${api.id}/swagger`, {
        apiDefinition: { file: v2, filename: 'swagger.yaml' },
      });
      assert.equal(put.statusCode, 200, put.body);
      assert.deepEqual(Object.keys(put.json().paths), ['/store/order', '/pet/{petId}']);
      const after = (await h.app.inject({ url: `${PUB}/apis/${api.id}`, headers: adminAuth })).json();
      assert.deepEqual(
        after.operations.map((o: { verb: string; target: string }) => `${o.verb} ${o.target}`),
        ['POST /store/order', 'GET /pet/{petId}'],
      );
      const putFile = await send(h, 'PUT', `${PUB}/apis/${api.id}/swagger`, { file: yamlFile() });
      assert.equal(putFile.statusCode, 200, putFile.body);
      assert.deepEqual(Object.keys(putFile.json().paths), ['/pet', '/pet/{petId}']);
      const putMissing = await send(h, 'PUT', `${PUB}/apis/no-such-api/swagger`, { file: yamlFile() });
      assert.equal(putMissing.statusCode, 404);

      // validate-openapi: summary; content only with returnContent=true.
      const valid = await send(h, 'POST', `${PUB}/apis/validate-openapi`, { file: yamlFile() });
      assert.equal(valid.statusCode, 200, valid.body);
      assert.deepEqual(valid.json(), {
        isValid: true,
        info: {
          name: 'Swagger Petstore',
          version: '1.0.5',
          context: '/swaggerpetstore',
          description: 'A sample API\nover two lines\n',
          openAPIVersion: '3.0.1',
          endpoints: ['https://petstore.example.com/v1'],
          operations: api.operations,
        },
      });
      const withContent = await send(h, 'POST', `${PUB}/apis/validate-openapi?returnContent=true`, {
        file: yamlFile(),
      });
      assert.equal(withContent.json().content, PETSTORE_YAML);
      const swagger2 = await send(h, 'POST', `${PUB}/apis/validate-openapi`, {
        inlineAPIDefinition: JSON.stringify({
          swagger: '2.0',
          info: { title: 'Old', version: '1' },
          host: 'old.example.com',
          basePath: '/v1',
          schemes: ['https'],
          paths: {},
        }),
      });
      assert.deepEqual(
        [swagger2.json().isValid, swagger2.json().info.openAPIVersion, swagger2.json().info.endpoints],
        [true, '2.0', ['https://old.example.com/v1']],
      );

      // Invalid definitions are an answer (200, isValid false, every problem listed), not a failed request.
      const badYaml = await send(h, 'POST', `${PUB}/apis/validate-openapi`, {
        file: yamlFile('openapi: 3.0.1\npaths: {}\npaths: {}\n'),
      });
      assert.equal(badYaml.statusCode, 200);
      assert.deepEqual(badYaml.json(), {
        isValid: false,
        errors: [
          {
            code: '900754',
            message: 'Invalid API definition',
            description: 'file is not valid YAML: Map keys must be unique at line 3, column 1',
          },
        ],
      });
      const noInfo = await send(h, 'POST', `${PUB}/apis/validate-openapi`, {
        file: yamlFile('openapi: 3.0.1\npaths: {}\n'),
      });
      assert.deepEqual(
        noInfo.json().errors.map((e: { description: string }) => e.description),
        ['The OpenAPI document has no info object'],
      );
      const notOpenApi = await send(h, 'POST', `${PUB}/apis/validate-openapi`, {
        file: yamlFile('hello: world\n'),
      });
      assert.equal(notOpenApi.json().isValid, false);
      assert.match(notOpenApi.json().errors[0].description, /expected 'openapi: 3.x'/);

      // import-openapi refuses what validate-openapi reports, with a 400 naming the problem, nothing created.
      const before = await apiCount(h);
      const badImport = await send(h, 'POST', `${PUB}/apis/import-openapi`, {
        file: yamlFile('openapi: 3.0.1\ninfo: {title: T, version: "1"}\npaths: [1\n'),
        additionalProperties: ADDITIONAL,
      });
      assert.equal(badImport.statusCode, 400);
      assert.equal(badImport.json().errorCode, 'INVALID_DEFINITION');
      assert.match(badImport.json().description, /^file is not valid YAML: .* at line \d+, column \d+$/);
      assert.equal(await apiCount(h), before);
    } finally {
      await h.close();
    }
  });
}
