import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { http as req, waitFor } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';
import { keyManagerBody } from '../../src/control-plane/publisher/test-support/publisher-fixtures.js';

// Issue 13: the Publisher fields with a runtime meaning are enforced by the gateway once deployed — set through
// GET → change → PUT on the real wiring (startAllInOne), then a new revision deployed: corsConfiguration (the API's
// own CORS replaces [apim.cors]), maxTps (backend throttling, 900801) and keyManagers (tokens of other key
// managers refused 900901).
let stack: Stack;
let backend: http.Server;
let backendCalls = 0;
let apiId = '';
let apiKey = '';
let accessToken = '';

const API = '/api/am/publisher/v4/apis';

/** A new revision of the API deployed to `Default`; undeployed revisions are deleted (WSO2 keeps at most 5). */
async function redeploy(): Promise<void> {
  const revisions = (await stack.rest('GET', `${API}/${apiId}/revisions`)).json() as {
    list: { id: string; deploymentInfo?: unknown[] }[];
  };
  for (const r of revisions.list)
    if ((r.deploymentInfo ?? []).length === 0)
      assert.equal((await stack.rest('DELETE', `${API}/${apiId}/revisions/${r.id}`)).status, 200);
  const rev = await stack.rest('POST', `${API}/${apiId}/revisions`, { description: 'settings' });
  assert.equal(rev.status, 201, rev.text);
  const dep = await stack.rest('POST', `${API}/${apiId}/deploy-revision?revisionId=${rev.json().id}`, [
    { name: 'Default', vhost: 'localhost', displayOnDevportal: true },
  ]);
  assert.equal(dep.status, 201, dep.text);
}

/** GET → apply `change` → PUT → GET; asserts the PUT and the GET return what was sent for `fields`. */
async function putFields(change: Record<string, unknown>): Promise<void> {
  const current = (await stack.rest('GET', `${API}/${apiId}`)).json();
  const put = await stack.rest('PUT', `${API}/${apiId}`, { ...current, ...change });
  assert.equal(put.status, 200, put.text);
  const back = (await stack.rest('GET', `${API}/${apiId}`)).json();
  for (const [k, v] of Object.entries(change)) assert.deepEqual(back[k], v, `${k} round-trips`);
}

const gw = (path: string, headers: Record<string, string>, method = 'GET') =>
  req(`${stack.gw}/settings/1.0.0${path}`, { method, headers });

before(async () => {
  backend = http.createServer((rq, rs) => {
    backendCalls++;
    rs.setHeader('content-type', 'application/json');
    rs.end('{"ok":true}');
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const created = await stack.rest('POST', API, {
    name: 'Settings',
    context: '/settings',
    version: '1.0.0',
    policies: ['Unlimited'],
    securityScheme: ['oauth2', 'api_key'],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: `http://127.0.0.1:${(backend.address() as AddressInfo).port}/v1` },
    },
    operations: [{ target: '/items', verb: 'GET' }],
  });
  assert.equal(created.status, 201, created.text);
  apiId = created.json().id;
  await deployAndPublish(stack, apiId);

  const app = await stack.rest('POST', '/api/am/devportal/v3/applications', {
    name: 'SettingsApp',
    throttlingPolicy: 'Unlimited',
  });
  assert.equal(app.status, 201, app.text);
  const appId = app.json().applicationId as string;
  const sub = await stack.rest('POST', '/api/am/devportal/v3/subscriptions', {
    applicationId: appId,
    apiId,
    throttlingPolicy: 'Unlimited',
  });
  assert.equal(sub.status, 201, sub.text);
  const key = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${appId}/api-keys/PRODUCTION/generate`,
    {
      validityPeriod: 3600,
    },
  );
  assert.equal(key.status, 200, key.text);
  apiKey = key.json().apikey as string;
  const keys = await stack.rest('POST', `/api/am/devportal/v3/applications/${appId}/generate-keys`, {
    keyType: 'PRODUCTION',
    grantTypesToBeSupported: ['client_credentials'],
  });
  assert.equal(keys.status, 200, keys.text);
  const { consumerKey, consumerSecret } = keys.json() as { consumerKey: string; consumerSecret: string };
  const tok = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  assert.equal(tok.status, 200, tok.text);
  accessToken = tok.json().access_token as string;
});

after(async () => {
  await stack?.stop();
  backend?.close();
});

test('corsConfiguration set by PUT: the gateway answers preflights with the API settings, not [apim.cors]', async () => {
  const corsConfiguration = {
    corsConfigurationEnabled: true,
    accessControlAllowOrigins: ['https://shop.example'],
    accessControlAllowCredentials: true,
    accessControlAllowHeaders: ['authorization', 'apikey'],
    accessControlAllowMethods: ['GET'],
  };
  const preflight = (origin: string) =>
    gw('/items', { origin, 'access-control-request-method': 'GET' }, 'OPTIONS');
  // Before: the default [apim.cors] allows any origin.
  assert.equal((await preflight('https://elsewhere.example')).headers['access-control-allow-origin'], '*');
  await putFields({ corsConfiguration });
  await redeploy();
  await waitFor(async () => (await preflight('https://elsewhere.example')).status === 403, 5000);
  const ok = await preflight('https://shop.example');
  assert.equal(ok.status, 204);
  assert.equal(ok.headers['access-control-allow-origin'], 'https://shop.example');
  assert.equal(ok.headers['access-control-allow-credentials'], 'true');
  assert.equal(ok.headers['access-control-allow-methods'], 'GET');
  assert.equal(ok.headers['access-control-allow-headers'], 'authorization,apikey');
  const call = await gw('/items', { origin: 'https://shop.example', apikey: apiKey });
  assert.equal(call.status, 200, call.text);
  assert.equal(call.headers['access-control-allow-origin'], 'https://shop.example');
});

test('maxTps set by PUT: the production backend gets at most that many requests, then 503 900801', async () => {
  // Stay clear of an hour boundary: the limit counts in windows aligned to the hour.
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 20_000) await sleep(3_600_000 - intoHour + 100);
  await putFields({ maxTps: { production: 3, productionTimeUnit: 'HOUR', sandboxTimeUnit: 'SECOND' } });
  await redeploy();
  await waitFor(async () => {
    const r = await gw('/items', { apikey: apiKey });
    return r.status === 503;
  }, 5000);
  const before = backendCalls;
  const r = await gw('/items', { apikey: apiKey });
  assert.equal(r.status, 503);
  assert.deepEqual(r.json(), {
    code: '900801',
    message: 'API Limit Reached',
    description: 'API not accepting requests',
  });
  assert.ok(Number(r.headers['retry-after']) > 0);
  assert.equal(backendCalls, before, 'the refused call did not reach the backend');
  await putFields({ maxTps: null });
  await redeploy();
  await waitFor(async () => (await gw('/items', { apikey: apiKey })).status === 200, 5000);
});

test('keyManagers set by PUT: a token of the resident key manager is refused when the API lists only another', async () => {
  const bearer = { authorization: `Bearer ${accessToken}` };
  assert.equal((await gw('/items', bearer)).status, 200);
  const km = await stack.rest('POST', '/api/am/admin/v4/key-managers', keyManagerBody('Okta Production'));
  assert.equal(km.status, 201, km.text);
  await putFields({ keyManagers: ['Okta Production'] });
  await redeploy();
  await waitFor(async () => (await gw('/items', bearer)).status === 401, 5000);
  const r = await gw('/items', bearer);
  assert.deepEqual(r.json(), {
    code: '900901',
    message: 'Invalid Credentials',
    description: 'Invalid JWT token. Make sure you have provided the correct security credentials',
  });
  // API keys are not key-manager tokens: still accepted.
  assert.equal((await gw('/items', { apikey: apiKey })).status, 200);
  await putFields({ keyManagers: ['all'] });
  await redeploy();
  await waitFor(async () => (await gw('/items', bearer)).status === 200, 5000);
});
