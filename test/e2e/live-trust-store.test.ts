import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { http as req } from '../support/http.js';
import { runPortico } from '../support/portico-process.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// Acceptance (issue 14, ADR 0007) on the production wiring (startAllInOne) with the CLI as a separate process:
// removing the API-key signing alias from the trust store of a running Portico refuses its keys and warns on both
// /health payloads; `portico keystore import-cert` from another process restores both within about a second.
const CERTS = '/api/am/admin/v4/trust-store/certificates';
const ALIAS = 'gateway_certificate_alias';
const dev = { username: 'trustdev', password: 'trustdev-password-1' };
let stack: Stack;
let upstream: http.Server;
let key = '';

const call = () => req(`${stack.gw}/trusted/1.0.0/items`, { headers: { apikey: key } });
const cpWarnings = async () => (await req(`${stack.cp}/health`)).json().warnings as string[];
const gwWarnings = async () => (await req(`${stack.gw}/health`)).json().warnings as string[];

/** Polls until `probe` holds; fails after `ms`. Returns the milliseconds it took. */
async function within(ms: number, what: string, probe: () => Promise<boolean>): Promise<number> {
  const start = Date.now();
  for (;;) {
    if (await probe()) return Date.now() - start;
    assert.ok(Date.now() - start < ms, `${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

before(async () => {
  upstream = http.createServer((_rq, rs) => {
    rs.setHeader('content-type', 'application/json');
    rs.end('{"ok":true}');
  });
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  const port = (upstream.address() as AddressInfo).port;
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const api = await stack.rest('POST', '/api/am/publisher/v4/apis', {
    name: 'Trusted',
    context: '/trusted',
    version: '1.0.0',
    policies: ['Unlimited'],
    securityScheme: ['api_key'],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: `http://127.0.0.1:${port}/v1` },
      sandbox_endpoints: { url: `http://127.0.0.1:${port}/v1` },
    },
    operations: [{ target: '/items', verb: 'GET' }],
  });
  assert.equal(api.status, 201, api.text);
  const apiId = api.json().id as string;
  await deployAndPublish(stack, apiId);
  assert.equal((await req(`${stack.cp}/api/am/devportal/v3/sign-up`, { body: dev })).status, 201);
  const app = await stack.rest(
    'POST',
    '/api/am/devportal/v3/applications',
    { name: 'TrustApp', throttlingPolicy: 'Unlimited' },
    dev,
  );
  assert.equal(app.status, 201, app.text);
  const appId = app.json().applicationId as string;
  const sub = await stack.rest(
    'POST',
    '/api/am/devportal/v3/subscriptions',
    { applicationId: appId, apiId, throttlingPolicy: 'Unlimited' },
    dev,
  );
  assert.equal(sub.status, 201, sub.text);
  const gen = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${appId}/api-keys/PRODUCTION/generate`,
    { validityPeriod: 3600 },
    dev,
  );
  assert.equal(gen.status, 200, gen.text);
  key = gen.json().apikey as string;
});

after(async () => {
  await stack?.stop();
  upstream?.close();
});

test('signing alias removed: keys refused and /health warns; `portico keystore import-cert` in another process restores it, no restart', async (t) => {
  await within(5000, 'the key works', async () => (await call()).status === 200);
  assert.deepEqual(await cpWarnings(), []);
  assert.deepEqual(await gwWarnings(), []);
  const listed = await stack.rest('GET', CERTS);
  assert.equal(listed.status, 200, listed.text);
  assert.ok(
    listed.json().list.some((e: { alias: string }) => e.alias === ALIAS),
    'the trust store file was imported at first start',
  );

  const del = await stack.rest('DELETE', `${CERTS}/${ALIAS}`);
  assert.equal(del.status, 200, del.text);
  t.diagnostic(
    `refused after ${await within(1000, 'key refused', async () => (await call()).status === 401)} ms`,
  );
  assert.match((await cpWarnings()).join('\n'), /API-key signing alias "gateway_certificate_alias"/);
  await within(1000, 'gateway warns', async () => (await gwWarnings()).length === 1);

  // The CLI, as an operator runs it next to the running server: another process, the same home and store.
  const exp = runPortico(['keystore', 'export-cert', '--alias', ALIAS, '--home', stack.home]);
  assert.equal(await exp.exited, 0, exp.stderr());
  const certFile = join(stack.home, 'signer.crt');
  writeFileSync(certFile, exp.stdout());
  const imp = runPortico([
    'keystore',
    'import-cert',
    '--alias',
    ALIAS,
    '--file',
    certFile,
    '--home',
    stack.home,
  ]);
  assert.equal(await imp.exited, 0, imp.stderr());
  assert.match(imp.stdout(), /applies it within about a second, without a restart/);
  const took = await within(1500, 'key accepted again', async () => (await call()).status === 200);
  t.diagnostic(`accepted again ${took} ms after the CLI exited`);
  assert.deepEqual(await cpWarnings(), []);
  await within(1000, 'gateway warning clears', async () => (await gwWarnings()).length === 0);
});
