import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as req } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// Acceptance (issue 13): an Admin deny policy on an application blocks its calls at the gateway within 1 s, and
// lifting it (PATCH conditionStatus false, or DELETE) restores them. Real wiring (startAllInOne), real upstream.
const BLOCKED =
  '{"code":"900805","message":"Message blocked","description":"You have been blocked from accessing the resource"}';
const DENY = '/api/am/admin/v4/throttling/deny-policies';
const dev = { username: 'denydev', password: 'denydev-password-1' };
let stack: Stack;
let upstream: http.Server;
let token = '';
let otherToken = '';

async function tokenOf(app: string): Promise<string> {
  const keys = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${app}/generate-keys`,
    { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
    dev,
  );
  assert.equal(keys.status, 200, keys.text);
  const { consumerKey, consumerSecret } = keys.json() as { consumerKey: string; consumerSecret: string };
  const r = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  assert.equal(r.status, 200, r.text);
  return r.json().access_token as string;
}

const call = (tok: string) =>
  req(`${stack.gw}/deny/1.0.0/items`, { headers: { authorization: `Bearer ${tok}` } });

/** Polls the gateway until `status` is answered; returns the milliseconds it took (fails after 1 s). */
async function within1s(tok: string, status: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const r = await call(tok);
    if (r.status === status) {
      if (status === 403) assert.equal(r.text, BLOCKED);
      return Date.now() - start;
    }
    assert.ok(Date.now() - start < 1000, `gateway still answers ${r.status} after 1 s (wanted ${status})`);
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
    name: 'Deny',
    context: '/deny',
    version: '1.0.0',
    policies: ['Unlimited'],
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
  const apps: Record<string, string> = {};
  for (const name of ['BadApp', 'GoodApp']) {
    const app = await stack.rest(
      'POST',
      '/api/am/devportal/v3/applications',
      { name, throttlingPolicy: 'Unlimited' },
      dev,
    );
    assert.equal(app.status, 201, app.text);
    apps[name] = app.json().applicationId as string;
    const sub = await stack.rest(
      'POST',
      '/api/am/devportal/v3/subscriptions',
      { applicationId: apps[name], apiId, throttlingPolicy: 'Unlimited' },
      dev,
    );
    assert.equal(sub.status, 201, sub.text);
  }
  token = await tokenOf(apps.BadApp!);
  otherToken = await tokenOf(apps.GoodApp!);
});

after(async () => {
  await stack?.stop();
  upstream?.close();
});

test('a deny policy on an application blocks it within 1 s; PATCH false and DELETE lift it', async (t) => {
  assert.equal((await within1s(token, 200)) >= 0, true);
  const created = await stack.rest('POST', DENY, {
    conditionType: 'APPLICATION',
    conditionValue: `${dev.username}:BadApp`,
    conditionStatus: true,
  });
  assert.equal(created.status, 201, created.text);
  const id = created.json().conditionId as string;
  t.diagnostic(`blocked after ${await within1s(token, 403)} ms`);
  assert.equal((await call(otherToken)).status, 200, 'another application of the same owner is not blocked');

  const off = await stack.rest('PATCH', `/api/am/admin/v4/throttling/deny-policy/${id}`, {
    conditionStatus: false,
  });
  assert.equal(off.status, 200, off.text);
  t.diagnostic(`restored after ${await within1s(token, 200)} ms (PATCH false)`);

  const on = await stack.rest('PATCH', `/api/am/admin/v4/throttling/deny-policy/${id}`, {
    conditionStatus: true,
  });
  assert.equal(on.status, 200, on.text);
  await within1s(token, 403);
  const del = await stack.rest('DELETE', `/api/am/admin/v4/throttling/deny-policy/${id}`);
  assert.equal(del.status, 200, del.text);
  t.diagnostic(`restored after ${await within1s(token, 200)} ms (DELETE)`);
});
