import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { zipSync } from 'fflate';
import { http as req, waitFor } from '../support/http.js';
import { runPortico } from '../support/portico-process.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// Acceptance (issue 13): an API and an application with a subscription and keys are exported from one home and
// imported into a fresh one with `portico api|app export|import` (the real CLI process, over REST); after the
// import the fresh home's gateway serves the same API to the same consumer key and secret. A project in WSO2's
// exported layout (test/fixtures/wso2-export/PizzaShackAPI-1.0.0) is served there too.
const SAMPLE_OFF = '[apim.sample]\ndeploy_on_first_start = false\n';
const FIXTURE = new URL('../fixtures/wso2-export/', import.meta.url).pathname;
let a: Stack;
let b: Stack;
let upstream: http.Server;
let backend = '';
let dir = '';

before(async () => {
  upstream = http.createServer((rq, rs) => {
    rs.setHeader('content-type', 'application/json');
    rs.end(JSON.stringify({ echoed: rq.url }));
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  backend = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1`;
  [a, b] = await Promise.all([startStack({ toml: SAMPLE_OFF }), startStack({ toml: SAMPLE_OFF })]);
  dir = mkdtempSync(join(tmpdir(), 'portico-projects-'));
});

after(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await new Promise<void>((r) => upstream.close(() => r()));
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** `portico <args> --url <stack> -k --password-stdin` as a separate process; resolves with its stdout. */
async function cli(stack: Stack, args: string[]): Promise<string> {
  const run = runPortico([...args, '--url', stack.cp, '-k', '--password-stdin'], {
    input: `${stack.adminPassword}\n`,
  });
  const code = await run.exited;
  assert.equal(code, 0, `portico ${args.join(' ')}: ${run.stderr()}${run.stdout()}`);
  return run.stdout();
}

async function token(stack: Stack, consumerKey: string, consumerSecret: string): Promise<string> {
  const res = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  assert.equal(res.status, 200, res.text);
  return res.json().access_token as string;
}

/** Waits until the stack's gateway answers `path` with `status`; returns that response. */
async function served(stack: Stack, path: string, headers: Record<string, string>, status: number) {
  let last = { status: 0, text: '' };
  await waitFor(async () => {
    last = await req(`${stack.gw}${path}`, { headers });
    return last.status === status;
  }, 15_000).catch(() => assert.fail(`${path} on ${stack.gw}: ${last.status} ${last.text}`));
  return last;
}

test('export → import on a fresh home: the gateway serves the same API to the same consumer key and secret', async () => {
  const ok = (r: { status: number; text: string }, status: number, what: string) =>
    assert.equal(r.status, status, `${what}: ${r.text}`);
  const api = await a.rest('POST', '/api/am/publisher/v4/apis', {
    name: 'Echo',
    context: '/echo',
    version: '1.0.0',
    policies: ['Unlimited', 'Gold'],
    endpointConfig: { endpoint_type: 'http', production_endpoints: { url: backend } },
    operations: [{ target: '/items', verb: 'GET' }],
  });
  ok(api, 201, 'create API');
  await deployAndPublish(a, api.json().id);
  const app = await a.rest('POST', '/api/am/devportal/v3/applications', {
    name: 'Mover',
    throttlingPolicy: 'Unlimited',
  });
  ok(app, 201, 'create application');
  const appId = app.json().applicationId as string;
  ok(
    await a.rest('POST', '/api/am/devportal/v3/subscriptions', {
      applicationId: appId,
      apiId: api.json().id,
      throttlingPolicy: 'Gold',
    }),
    201,
    'subscribe',
  );
  const keys = await a.rest('POST', `/api/am/devportal/v3/applications/${appId}/generate-keys`, {
    keyType: 'PRODUCTION',
    grantTypesToBeSupported: ['client_credentials'],
  });
  ok(keys, 200, 'generate keys');
  const { consumerKey, consumerSecret } = keys.json() as { consumerKey: string; consumerSecret: string };
  const atA = await served(
    a,
    '/echo/1.0.0/items',
    { authorization: `Bearer ${await token(a, consumerKey, consumerSecret)}` },
    200,
  );

  const apiZip = join(dir, 'Echo_1.0.0.zip');
  const appZip = join(dir, 'admin_Mover.zip');
  assert.match(await cli(a, ['api', 'export', '-n', 'Echo', '-v', '1.0.0', '--file', apiZip]), /wrote/);
  assert.match(
    await cli(a, ['app', 'export', '-n', 'Mover', '-o', 'admin', '--with-keys', '--file', appZip]),
    /wrote/,
  );
  assert.ok(!readFileSync(appZip).includes(consumerSecret), 'the consumer secret is not in the export');

  // Before the import the fresh home knows neither the API nor the client.
  assert.equal((await req(`${b.gw}/echo/1.0.0/items`)).status, 404);
  assert.match(await cli(b, ['api', 'import', '--file', apiZip]), /imported API .* \(revision 1 deployed\)/);
  assert.match(
    await cli(b, ['app', 'import', '--file', appZip, '--preserve-owner']),
    /imported application Mover/,
  );
  const atB = await served(
    b,
    '/echo/1.0.0/items',
    { authorization: `Bearer ${await token(b, consumerKey, consumerSecret)}` },
    200,
  );
  assert.deepEqual(atB.text, atA.text);
  assert.deepEqual(JSON.parse(atB.text), { echoed: '/v1/items' });
  // Tokens of the first home are not trusted by the second: it signs with its own key.
  const foreign = await req(`${b.gw}/echo/1.0.0/items`, {
    headers: { authorization: `Bearer ${await token(a, consumerKey, consumerSecret)}` },
  });
  assert.equal(foreign.status, 401, foreign.text);

  // An import the CLI cannot do says why in one line and exits 1.
  const again = runPortico(['api', 'import', '--file', apiZip, '--url', b.cp, '-k', '--password-stdin'], {
    input: `${b.adminPassword}\n`,
  });
  assert.equal(await again.exited, 1);
  assert.match(again.stderr(), /^portico: HTTP 409 API_EXISTS: /);
});

test("a project in WSO2 4.x's exported layout imports through the CLI and the gateway serves it", async () => {
  const folder = 'PizzaShackAPI-1.0.0';
  const entries: Record<string, Uint8Array> = {};
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else entries[`${folder}/${relative(join(FIXTURE, folder), p).split(sep).join('/')}`] = readFileSync(p);
    }
  };
  walk(join(FIXTURE, folder));
  const zip = join(dir, 'PizzaShackAPI_1.0.0.zip');
  writeFileSync(zip, zipSync(entries));
  assert.match(await cli(b, ['api', 'import', '--file', zip]), /imported API .* \(revision 1 deployed\)/);
  const res = await served(b, '/pizzashack/1.0.0/menu', {}, 401);
  assert.equal(JSON.parse(res.text).code, '900902', res.text);
});
