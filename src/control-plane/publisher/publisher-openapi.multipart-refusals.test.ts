import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import type { FormPart } from '../http/test-support/multipart-body.js';
import { publisherRoutes } from './index.js';
import { ADDITIONAL, apiCount, PETSTORE_YAML, send, yamlFile } from './test-support/openapi-uploads.js';
import { adminAuth, apiBody, PUB, userAuth } from './test-support/publisher-fixtures.js';

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
