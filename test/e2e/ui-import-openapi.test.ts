import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { assertAccessible, startUiPortico, type UiPortico } from '../support/browser.js';

// Issue 13: the Publisher's "Import OpenAPI" page takes a YAML or JSON file, or a URL, and sends WSO2's multipart
// `POST /apis/validate-openapi` and `POST /apis/import-openapi` (it posted JSON and read JSON files only before).
const petstoreYaml = (title: string, basePath: string) => `openapi: 3.0.1
info:
  title: ${title}
  version: 2.1.0
x-wso2-basePath: ${basePath}
servers:
  - url: https://petstore.example/v2
paths:
  /pets:
    get:
      responses:
        '200':
          description: the pets
    post:
      responses:
        '201':
          description: created
  /pets/{petId}:
    get:
      parameters:
        - name: petId
          in: path
          required: true
          schema:
            type: string
      responses:
        '200':
          description: one pet
`;

const ordersJson = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Orders', version: '1.0.0' },
  paths: { '/orders': { get: { responses: { 200: { description: 'ok' } } } } },
});

let ui: UiPortico;
let page: Page;
let problems: string[];
let definitions: http.Server;
let definitionsUrl = '';
const served: string[] = [];

before(async () => {
  definitions = http.createServer((req, res) => {
    served.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/yaml' });
    res.end(petstoreYaml('Remote Pets', '/remotepets'));
  });
  await new Promise<void>((r) => definitions.listen(0, '127.0.0.1', r));
  definitionsUrl = `http://127.0.0.1:${(definitions.address() as AddressInfo).port}/openapi.yaml`;
  ui = await startUiPortico({
    signIn: '/devportal/sign-in',
    // The URL source is off by default (DEFINITION_URL_DISABLED); this test's definition is on loopback.
    toml: '\n[apim.publisher]\ndefinition_url_access = "all"\n',
  });
  ({ page, problems } = ui);
});

after(async () => {
  await ui?.stop();
  definitions?.close();
});

/** The API the Publisher lists under `name`, with its operations as `VERB target`. */
async function created(name: string) {
  const list = (await ui.rest('/api/am/publisher/v4/apis')).json().list as { id: string; name: string }[];
  const found = list.find((a) => a.name === name);
  assert.ok(found, `${name} was created`);
  const full = (await ui.rest(`/api/am/publisher/v4/apis/${found.id}`)).json();
  return {
    id: found.id,
    context: full.context as string,
    version: full.version as string,
    operations: (full.operations as { verb: string; target: string }[])
      .map((o) => `${o.verb} ${o.target}`)
      .sort(),
  };
}

const fileInput = () => page.getByLabel('OpenAPI file (YAML or JSON)');

test('a YAML file is validated on choosing it, prefills the form, and creates the API with its operations', async () => {
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/import`);
  await fileInput().setInputFiles({
    name: 'petstore.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from(petstoreYaml('Petstore', '/petstore')),
  });
  await page.getByText('petstore.yaml: OpenAPI 3.0.1, “Petstore” 2.1.0.').waitFor();
  assert.equal(await page.getByLabel('Name').inputValue(), 'Petstore');
  assert.equal(await page.getByLabel('Context').inputValue(), '/petstore');
  assert.equal(await page.getByLabel('Version').inputValue(), '2.1.0');
  await assertAccessible(page, 'publisher-import-openapi-yaml');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/publisher\/apis\/[^/]+\/overview$/);
  const api = await created('Petstore');
  assert.equal(api.context, '/petstore');
  assert.equal(api.version, '2.1.0');
  assert.deepEqual(api.operations, ['GET /pets', 'GET /pets/{petId}', 'POST /pets']);
  assert.match(page.url(), new RegExp(`/publisher/apis/${api.id}/overview$`));
});

test('a file that is no OpenAPI definition is explained and nothing is created; a JSON file then works', async () => {
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/import`);
  const before = (await ui.rest('/api/am/publisher/v4/apis')).json().count as number;
  await page.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Choose a valid OpenAPI file, or a URL and check it.').waitFor();
  await fileInput().setInputFiles({
    name: 'notes.yaml',
    mimeType: 'application/yaml',
    buffer: Buffer.from('just: some\nyaml: [1, 2]\n'),
  });
  const error = page.getByRole('alert').filter({ hasText: 'notes.yaml is not a valid OpenAPI definition' });
  await error.waitFor();
  assert.equal(await fileInput().getAttribute('aria-invalid'), 'true');
  await page.getByRole('button', { name: 'Create' }).click();
  await error.waitFor();
  await assertAccessible(page, 'publisher-import-openapi-invalid');
  assert.match(page.url(), /\/publisher\/apis\/import$/);
  assert.equal((await ui.rest('/api/am/publisher/v4/apis')).json().count, before);

  await fileInput().setInputFiles({
    name: 'orders.json',
    mimeType: 'application/json',
    buffer: Buffer.from(ordersJson),
  });
  await page.getByText('orders.json: OpenAPI 3.0.3, “Orders” 1.0.0.').waitFor();
  await page.getByLabel('Endpoint').fill('https://orders.example/api');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/publisher\/apis\/[^/]+\/overview$/);
  const api = await created('Orders');
  assert.deepEqual(api.operations, ['GET /orders']);
  assert.equal(api.context, '/orders');
});

test('a URL is checked, then the server fetches it for the import', async () => {
  await page.goto(`${ui.urls.controlPlane}/publisher/apis/import`);
  await page.getByLabel('From a URL').check();
  await page.getByLabel('OpenAPI URL').fill('not a url');
  await page.getByRole('button', { name: 'Check URL' }).click();
  await page.getByRole('alert').filter({ hasText: 'Enter an http:// or https:// URL.' }).waitFor();
  await page.getByLabel('OpenAPI URL').fill(definitionsUrl);
  await page.getByRole('button', { name: 'Check URL' }).click();
  await page.getByText(`${definitionsUrl}: OpenAPI 3.0.1, “Remote Pets” 2.1.0.`).waitFor();
  await assertAccessible(page, 'publisher-import-openapi-url');
  await page.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/publisher\/apis\/[^/]+\/overview$/);
  const api = await created('Remote Pets');
  assert.equal(api.context, '/remotepets');
  assert.deepEqual(api.operations, ['GET /pets', 'GET /pets/{petId}', 'POST /pets']);
  assert.equal(served.length, 2, 'fetched once to validate and once to import');
  assert.deepEqual(problems, []);
});
