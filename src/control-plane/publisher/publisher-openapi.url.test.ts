import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../test/support/control-plane-harness.js';
import { multipartBody, type FormPart } from '../http/test-support/multipart-body.js';
import { isPublicAddress } from './definition-url.js';
import { publisherRoutes } from './index.js';
import { PETSTORE_YAML } from './test-support/openapi-uploads.js';
import { adminAuth, PUB } from './test-support/publisher-fixtures.js';

let server: http.Server;
let origin = '';
const served: string[] = [];
before(async () => {
  server = http.createServer((req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/openapi.yaml')
      return res.writeHead(200, { 'content-type': 'application/yaml' }).end(PETSTORE_YAML);
    if (req.url === '/redirect') return res.writeHead(302, { location: '/openapi.yaml' }).end();
    if (req.url === '/huge') return res.writeHead(200).end(`${PETSTORE_YAML}# ${'x'.repeat(8192)}\n`);
    res.writeHead(404).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => new Promise<void>((r) => server.close(() => r())));

async function send(h: Harness, url: string, fields: Record<string, FormPart>) {
  const body = await multipartBody(fields);
  return h.app.inject({
    method: 'POST',
    url,
    headers: { ...adminAuth, ...body.headers },
    payload: body.payload,
  });
}

const harness = async (access: string) => {
  const [d] = await testDialects();
  assert.ok(d);
  return createHarness(await d.open(), [publisherRoutes()], {
    toml: `[apim.publisher]\ndefinition_url_access = "${access}"\nmax_definition_size = 4096\n`,
  });
};

test('definition url with access "all": fetched without redirects, within the size limit, failures are 400', async () => {
  const h = await harness('all');
  try {
    const imported = await send(h, `${PUB}/apis/import-openapi`, {
      url: `${origin}/openapi.yaml`,
      additionalProperties: JSON.stringify({ name: 'FromUrl', context: '/from-url' }),
    });
    assert.equal(imported.statusCode, 201, imported.body);
    assert.deepEqual(
      imported.json().operations.map((o: { verb: string; target: string }) => `${o.verb} ${o.target}`),
      ['POST /pet', 'GET /pet/{petId}'],
    );
    const validated = await send(h, `${PUB}/apis/validate-openapi?returnContent=true`, {
      url: `${origin}/openapi.yaml`,
    });
    assert.equal(validated.json().isValid, true);
    assert.equal(validated.json().content, PETSTORE_YAML);

    const id = imported.json().id as string;
    const put = await (async () => {
      const body = await multipartBody({ url: `${origin}/openapi.yaml` });
      return h.app.inject({
        method: 'PUT',
        url: `${PUB}/apis/${id}/swagger`,
        headers: { ...adminAuth, ...body.headers },
        payload: body.payload,
      });
    })();
    assert.equal(put.statusCode, 200, put.body);

    const refused: [string, number, string, RegExp][] = [
      [`${origin}/redirect`, 400, 'DEFINITION_URL_FAILED', /answered 302; redirects are not followed/],
      [`${origin}/missing`, 400, 'DEFINITION_URL_FAILED', /answered 404/],
      [`${origin}/huge`, 413, 'PAYLOAD_TOO_LARGE', /larger than 4096 bytes/],
      ['http://127.0.0.1:9/openapi.yaml', 400, 'DEFINITION_URL_FAILED', /127.0.0.1:9 is unreachable/],
      ['file:///etc/passwd', 400, 'DEFINITION_URL_FORBIDDEN', /absolute http\(s\) URL/],
      ['not a url', 400, 'DEFINITION_URL_FORBIDDEN', /absolute http\(s\) URL/],
    ];
    for (const [url, status, errorCode, description] of refused) {
      const res = await send(h, `${PUB}/apis/validate-openapi`, { url });
      assert.equal(res.statusCode, status, `${url}: ${res.body}`);
      assert.equal(res.json().errorCode, errorCode, url);
      assert.match(res.json().description, description, url);
    }
    assert.deepEqual(served.filter((u) => u === '/openapi.yaml').length, 3, 'the redirect was not followed');
  } finally {
    await h.close();
  }
});

test('definition url with access "public": internal hosts are refused before any connection', async () => {
  const h = await harness('public');
  try {
    served.length = 0;
    const port = new URL(origin).port;
    for (const url of [
      `${origin}/openapi.yaml`,
      `http://localhost:${port}/openapi.yaml`, // a name: refused on its resolved address
      `http://[::1]:${port}/openapi.yaml`,
      `http://[::ffff:127.0.0.1]:${port}/openapi.yaml`,
      'http://169.254.169.254/latest/meta-data/',
      'http://10.0.0.1/openapi.yaml',
      'http://0.0.0.0/openapi.yaml',
      // Other spellings of loopback that WHATWG URL parsing normalises, and IPv6 forms that embed IPv4.
      `http://127.1:${port}/openapi.yaml`,
      `http://2130706433:${port}/openapi.yaml`,
      `http://0x7f.0.0.1:${port}/openapi.yaml`,
      `http://[64:ff9b::7f00:1]:${port}/openapi.yaml`,
      `http://[2002:7f00:1::]:${port}/openapi.yaml`,
    ]) {
      const res = await send(h, `${PUB}/apis/validate-openapi`, { url });
      assert.equal(res.statusCode, 400, `${url}: ${res.body}`);
      assert.equal(res.json().errorCode, 'DEFINITION_URL_FORBIDDEN', url);
      assert.match(res.json().description, /is an internal address; only public hosts may be fetched/);
    }
    assert.deepEqual(served, [], 'no request reached the internal server');
  } finally {
    await h.close();
  }
});

test('isPublicAddress: only public unicast addresses', () => {
  for (const a of ['8.8.8.8', '2001:4860:4860::8888', '::ffff:8.8.4.4'])
    assert.equal(isPublicAddress(a), true, a);
  for (const a of [
    '127.0.0.1',
    '10.1.2.3',
    '172.16.0.1',
    '192.168.1.1',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '255.255.255.255',
    '224.0.0.1',
    '::1',
    '::',
    'fd00::1',
    'fe80::1',
    '::ffff:10.0.0.1',
    'nonsense',
  ])
    assert.equal(isPublicAddress(a), false, a);
});
