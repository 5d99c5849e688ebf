import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { multipartBody, type FormPart } from '../http/test-support/multipart-body.js';
import { publisherRoutes } from './index.js';
import { PETSTORE_YAML } from './test-support/petstore-yaml.js';
import { adminAuth, apiBody, PUB, userAuth } from './test-support/publisher-fixtures.js';

const ADDITIONAL = JSON.stringify(
  { name: 'PetstoreUpload', version: '1.0.5', context: '/petstore-upload', policies: ['Unlimited'] },
  null,
  2,
);

async function send(
  h: Harness,
  method: 'POST' | 'PUT',
  url: string,
  fields: Record<string, FormPart | FormPart[]>,
  headers = adminAuth,
) {
  const body = await multipartBody(fields);
  return h.app.inject({ method, url, headers: { ...headers, ...body.headers }, payload: body.payload });
}

const yamlFile = (text = PETSTORE_YAML): FormPart => ({
  file: text,
  filename: 'openapi.yaml',
  type: 'application/x-yaml',
});
const apiCount = async (h: Harness) =>
  (await h.app.inject({ url: `${PUB}/apis`, headers: adminAuth })).json().count as number;

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
            code: '900932',
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

test('publisher OpenAPI uploads: malformed, incomplete and hostile multipart bodies are clear 4xx, nothing written', async () => {
  const [d] = await testDialects();
  assert.ok(d);
  const h = await createHarness(await d.open(), [publisherRoutes()]);
  try {
    const imp = `${PUB}/apis/import-openapi`;
    const before = await apiCount(h);
    const refused = async (
      res: { statusCode: number; json(): { errorCode: string; description: string } },
      status: number,
      errorCode: string,
      description?: RegExp,
    ) => {
      assert.equal(res.statusCode, status, JSON.stringify(res.json()));
      assert.equal(res.json().errorCode, errorCode);
      if (description) assert.match(res.json().description, description);
    };
    await refused(
      await send(h, 'POST', imp, { additionalProperties: ADDITIONAL }),
      400,
      'DEFINITION_MISSING',
      /one of file, url, inlineAPIDefinition/,
    );
    await refused(
      await send(h, 'POST', imp, { file: yamlFile(), inlineAPIDefinition: PETSTORE_YAML }),
      400,
      'DEFINITION_MISSING',
      /only one of file, inlineAPIDefinition/,
    );
    await refused(
      await send(h, 'POST', imp, { file: yamlFile(), definition: 'x' }),
      400,
      'MULTIPART_INVALID',
      /Form field definition is not taken here/,
    );
    await refused(
      await send(h, 'POST', imp, { file: [yamlFile(), yamlFile()] }),
      400,
      'MULTIPART_INVALID',
      /file must not be repeated/,
    );
    await refused(
      await send(h, 'POST', imp, { file: yamlFile(), additionalProperties: '{"name":' }),
      400,
      'VALIDATION_FAILED',
      /additionalProperties is not valid JSON/,
    );
    await refused(
      await send(h, 'POST', imp, { file: yamlFile(), additionalProperties: '[1]' }),
      400,
      'VALIDATION_FAILED',
      /additionalProperties must be a JSON object/,
    );
    await refused(
      await send(h, 'POST', imp, {
        file: yamlFile(),
        additionalProperties: JSON.stringify({ name: 'a\u0000b', context: '/nul' }),
      }),
      400,
      'VALIDATION_FAILED',
      /additionalProperties.name must not contain/,
    );
    await refused(
      await send(h, 'POST', imp, {
        file: yamlFile(PETSTORE_YAML.replace('A sample API', 'A \u001b[2J API')),
      }),
      400,
      'VALIDATION_FAILED',
      /^file must not contain control characters$/,
    );
    // An escape sequence that only the YAML parser turns into a control character is caught after parsing.
    await refused(
      await send(h, 'POST', imp, {
        file: yamlFile(
          PETSTORE_YAML.replace(
            '  description: |\n    A sample API\n    over two lines\n',
            '  description: "A \\e[2J API"\n',
          ),
        ),
      }),
      400,
      'VALIDATION_FAILED',
      /^file.info.description must not contain control characters$/,
    );
    // YAML alias bombs stop at the alias limit, not at the memory limit.
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++) bomb += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
    await refused(await send(h, 'POST', imp, { file: yamlFile(bomb) }), 400, 'INVALID_DEFINITION', /alias/);
    await refused(
      await send(h, 'POST', imp, {
        url: 'http://127.0.0.1:9/openapi.yaml',
        additionalProperties: ADDITIONAL,
      }),
      400,
      'DEFINITION_URL_DISABLED',
      /definition_url_access = "off"/,
    );
    // Garbage under a multipart content type: malformed, missing boundary, empty.
    const garbage = (type: string, payload: string) =>
      h.app.inject({ method: 'POST', url: imp, headers: { ...adminAuth, 'content-type': type }, payload });
    await refused(
      await garbage(
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\nabc',
      ),
      400,
      'MULTIPART_INVALID',
      /malformed/,
    );
    await refused(await garbage('multipart/form-data', '{"name":"x"}'), 400, 'MULTIPART_INVALID');
    await refused(await garbage('multipart/form-data; boundary=x', '--x--\r\n'), 400, 'DEFINITION_MISSING');
    await refused(
      await garbage(
        'multipart/form-data; boundary=x',
        '--x\r\nContent-Disposition: form-data; name="__proto__"\r\n\r\n{}\r\n--x--\r\n',
      ),
      400,
      'MULTIPART_INVALID',
    );
    await refused(await garbage('text/plain', PETSTORE_YAML), 415, 'UNSUPPORTED_MEDIA_TYPE');
    // validate-openapi is multipart only, as WSO2 documents it.
    const json = await h.app.inject({
      method: 'POST',
      url: `${PUB}/apis/validate-openapi`,
      headers: adminAuth,
      payload: { inlineAPIDefinition: PETSTORE_YAML },
    });
    await refused(json, 415, 'UNSUPPORTED_MEDIA_TYPE');

    // Authentication and scopes come first.
    const anonymous = await send(
      h,
      'POST',
      imp,
      { file: yamlFile(), additionalProperties: ADDITIONAL },
      {} as typeof adminAuth,
    );
    assert.equal(anonymous.statusCode, 401);
    const subscriber = await userAuth(h, 'sub-only', ['subscriber']);
    const forbidden = await send(h, 'POST', `${PUB}/apis/validate-openapi`, { file: yamlFile() }, subscriber);
    assert.equal(forbidden.statusCode, 403);
    const created = await h.app.inject({
      method: 'POST',
      url: `${PUB}/apis`,
      headers: adminAuth,
      payload: apiBody(),
    });
    const swaggerOfOther = await send(
      h,
      'PUT',
      `${PUB}/apis/${created.json().id}/swagger`,
      { file: yamlFile() },
      subscriber,
    );
    assert.equal(swaggerOfOther.statusCode, 403);
    assert.equal(await apiCount(h), before + 1);
  } finally {
    await h.close();
  }
});

test('publisher OpenAPI uploads: [apim.publisher] max_definition_size caps every part and the whole form with 413', async () => {
  const [d] = await testDialects();
  assert.ok(d);
  const h = await createHarness(await d.open(), [publisherRoutes()], {
    toml: '[apim.publisher]\nmax_definition_size = 2048\n',
  });
  try {
    const imp = `${PUB}/apis/import-openapi`;
    const padded = PETSTORE_YAML + `# ${'x'.repeat(3000)}\n`;
    const forms: Record<string, FormPart>[] = [
      { file: yamlFile(padded) },
      { inlineAPIDefinition: padded },
      // Each part under the limit, together over it.
      {
        file: yamlFile(PETSTORE_YAML),
        additionalProperties: JSON.stringify({ description: 'd'.repeat(1500) }),
      },
    ];
    for (const fields of forms) {
      const res = await send(h, 'POST', imp, fields);
      assert.equal(res.statusCode, 413, res.body);
      assert.equal(res.json().errorCode, 'PAYLOAD_TOO_LARGE');
      assert.equal(res.json().code, 900413);
    }
    const ok = await send(h, 'POST', `${PUB}/apis/validate-openapi`, { file: yamlFile() });
    assert.equal(ok.json().isValid, true);
    assert.equal(await apiCount(h), 0);
  } finally {
    await h.close();
  }
});
