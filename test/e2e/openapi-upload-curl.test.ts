import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCOPE_ROLES } from '../../src/control-plane/index.js';
import { http as req } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// Acceptance (issue 13): an API created from an OpenAPI file with the multipart curl of WSO2's Publisher v4
// documentation (publisher-api.json x-code-samples), its swagger replaced with `-F apiDefinition=@swagger.json`,
// validated with `-F file=@openapi.json`; after a revision is deployed the gateway serves the new resources.
// Real wiring (startAllInOne), a real curl child process, a real upstream.
const PUB = '/api/am/publisher/v4';
let stack: Stack;
let upstream: http.Server;
let backend = '';
let token = '';
let dir = '';

/** Runs curl with `args`; resolves with the HTTP status and the body (`-w` appends the status on its own line). */
function curl(args: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    execFile('curl', ['-sS', '-w', '\n%{http_code}', ...args], { cwd: dir }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`curl failed: ${stderr}`));
      const cut = stdout.lastIndexOf('\n');
      resolve({ status: Number(stdout.slice(cut + 1)), body: stdout.slice(0, cut) });
    });
  });
}

const openapi = (paths: Record<string, unknown>) => ({
  openapi: '3.0.1',
  info: { title: 'Curl Petstore', version: '1.0.0' },
  servers: [{ url: backend }],
  paths,
});

before(async () => {
  upstream = http.createServer((rq, rs) => {
    rs.setHeader('content-type', 'application/json');
    rs.end(JSON.stringify({ path: rq.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  backend = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const reg = await stack.rest('POST', '/client-registration/v0.17/register', {
    clientName: 'curl_publisher',
    owner: 'admin',
    grantType: 'password',
  });
  assert.equal(reg.status, 200, reg.text);
  const { clientId, clientSecret } = reg.json() as { clientId: string; clientSecret: string };
  const tok = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}` },
    form: {
      grant_type: 'password',
      username: 'admin',
      password: stack.adminPassword,
      scope: Object.keys(SCOPE_ROLES).join(' '),
    },
  });
  assert.equal(tok.status, 200, tok.text);
  token = tok.json().access_token as string;
  dir = mkdtempSync(join(tmpdir(), 'portico-curl-'));
});

after(async () => {
  await stack?.stop();
  await new Promise<void>((r) => upstream.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('WSO2 multipart curl: import-openapi, PUT swagger, validate-openapi; the gateway serves the imported API', async () => {
  const base = `https://127.0.0.1:${9443 + stack.offset}${PUB}`;
  const bearer = `Authorization: Bearer ${token}`;
  writeFileSync(
    join(dir, 'openapi.json'),
    JSON.stringify(openapi({ '/pets': { get: { 'x-auth-type': 'None', responses: {} } } }), null, 2),
  );
  writeFileSync(
    join(dir, 'data.json'),
    JSON.stringify(
      { name: 'CurlPetstore', version: '1.0.0', context: '/curlpets', policies: ['Unlimited'] },
      null,
      2,
    ),
  );

  // curl -k -H "Authorization: Bearer ..." -F file=@openapi.json -F additionalProperties=@data.json ".../apis/import-openapi"
  const created = await curl([
    '-k',
    '-H',
    bearer,
    '-F',
    'file=@openapi.json',
    '-F',
    'additionalProperties=@data.json',
    `${base}/apis/import-openapi`,
  ]);
  assert.equal(created.status, 201, created.body);
  const api = JSON.parse(created.body) as {
    id: string;
    name: string;
    context: string;
    operations: { target: string; verb: string }[];
  };
  assert.deepEqual([api.name, api.context], ['CurlPetstore', '/curlpets']);
  assert.deepEqual(
    api.operations.map((o) => `${o.verb} ${o.target}`),
    ['GET /pets'],
  );

  // curl -k -X PUT -H "Authorization: Bearer ..." -F apiDefinition=@swagger.json ".../apis/{apiId}/swagger"
  writeFileSync(
    join(dir, 'swagger.json'),
    JSON.stringify(
      openapi({
        '/pets': { get: { 'x-auth-type': 'None', responses: {} } },
        '/pets/{petId}': { get: { 'x-auth-type': 'None', responses: {} } },
      }),
    ),
  );
  const put = await curl([
    '-k',
    '-X',
    'PUT',
    '-H',
    bearer,
    '-F',
    'apiDefinition=@swagger.json',
    `${base}/apis/${api.id}/swagger`,
  ]);
  assert.equal(put.status, 200, put.body);
  assert.deepEqual(Object.keys((JSON.parse(put.body) as { paths: object }).paths), [
    '/pets',
    '/pets/{petId}',
  ]);

  // curl -k -H "Authorization: Bearer ..." -F file=@openapi.json ".../apis/validate-openapi"
  const valid = await curl(['-k', '-H', bearer, '-F', 'file=@openapi.json', `${base}/apis/validate-openapi`]);
  assert.equal(valid.status, 200, valid.body);
  const v = JSON.parse(valid.body) as {
    isValid: boolean;
    info: { name: string; context: string; endpoints: string[] };
  };
  assert.deepEqual(
    [v.isValid, v.info.name, v.info.context, v.info.endpoints],
    [true, 'Curl Petstore', '/curlpetstore', [backend]],
  );
  writeFileSync(join(dir, 'broken.yaml'), 'openapi: 3.0.1\ninfo: [\n');
  const invalid = await curl([
    '-k',
    '-H',
    bearer,
    '-F',
    'file=@broken.yaml',
    `${base}/apis/validate-openapi`,
  ]);
  assert.equal(invalid.status, 200, invalid.body);
  assert.equal((JSON.parse(invalid.body) as { isValid: boolean }).isValid, false);

  // Not multipart where WSO2 requires it, and a form without a definition: clear 4xx with a code.
  const plain = await curl([
    '-k',
    '-H',
    bearer,
    '-H',
    'Content-Type: text/plain',
    '--data-binary',
    '@openapi.json',
    `${base}/apis/validate-openapi`,
  ]);
  assert.equal(plain.status, 415, plain.body);
  const none = await curl([
    '-k',
    '-H',
    bearer,
    '-F',
    'additionalProperties=@data.json',
    `${base}/apis/import-openapi`,
  ]);
  assert.equal(none.status, 400, none.body);
  assert.equal((JSON.parse(none.body) as { errorCode: string }).errorCode, 'DEFINITION_MISSING');

  // Refused before the whole form is read (an unknown first field, an oversize file): the answer still arrives.
  writeFileSync(join(dir, 'mid.yaml'), `openapi: 3.0.1\n# ${'x'.repeat(2 * 1024 * 1024)}\n`);
  writeFileSync(join(dir, 'big.yaml'), `openapi: 3.0.1\n# ${'x'.repeat(11 * 1024 * 1024)}\n`);
  const unknownField = await curl([
    '-k',
    '-H',
    bearer,
    '-F',
    'bogus=@mid.yaml',
    '-F',
    'file=@openapi.json',
    `${base}/apis/validate-openapi`,
  ]);
  assert.equal(unknownField.status, 400, unknownField.body);
  assert.equal((JSON.parse(unknownField.body) as { errorCode: string }).errorCode, 'MULTIPART_INVALID');
  const big = await curl(['-k', '-H', bearer, '-F', 'file=@big.yaml', `${base}/apis/validate-openapi`]);
  assert.equal(big.status, 413, big.body);
  assert.equal((JSON.parse(big.body) as { errorCode: string }).errorCode, 'PAYLOAD_TOO_LARGE');

  // The gateway serves both resources of the replaced definition once a revision is deployed.
  await deployAndPublish(stack, api.id);
  const gw = `http://localhost:${8280 + stack.offset}`;
  for (const path of ['/pets', '/pets/7']) {
    let res = await req(`${gw}/curlpets/1.0.0${path}`);
    for (let i = 0; i < 50 && res.status === 404; i++) {
      await new Promise((r) => setTimeout(r, 20));
      res = await req(`${gw}/curlpets/1.0.0${path}`);
    }
    assert.equal(res.status, 200, `${path}: ${res.text}`);
    assert.deepEqual(res.json(), { path: `/v1${path}` });
  }
  const unknown = await req(`${gw}/curlpets/1.0.0/owners`);
  assert.notEqual(unknown.status, 200, 'a resource not in the definition is not served');
});
