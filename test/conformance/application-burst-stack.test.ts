import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { http as req, waitFor } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// An application policy's `burstLimit` on the real wiring: Admin REST → store → snapshot/delta → gateway, answered
// with WSO2's application burst fault 900809 (ThrottleHandler.handleThrottleOut, APPLICATION_BURST_LIMIT_EXCEED).
let stack: Stack;
let upstream: http.Server;
let policyId = '';
let tok = '';
const dev = { username: 'burster', password: 'burster-password-1' };
const POLICY = '/api/am/admin/v4/throttling/policies/application';

const policyBody = (burstLimit: { rateLimitCount: number; rateLimitTimeUnit: string } | null) => ({
  policyName: 'Burst3',
  displayName: 'Burst3',
  description: '1000 per minute, at most 3 per minute in a burst',
  defaultLimit: {
    type: 'REQUESTCOUNTLIMIT',
    requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 1000 },
  },
  burstLimit,
});
const call = () => req(`${stack.gw}/burst/1.0.0/items`, { headers: { authorization: `Bearer ${tok}` } });

before(async () => {
  upstream = http.createServer((_rq, rs) => rs.end('{}'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const policy = await stack.rest(
    'POST',
    POLICY,
    policyBody({ rateLimitCount: 3, rateLimitTimeUnit: 'min' }),
  );
  assert.equal(policy.status, 201, policy.text);
  assert.deepEqual(policy.json().burstLimit, { rateLimitCount: 3, rateLimitTimeUnit: 'min' });
  policyId = policy.json().policyId;
  const api = await stack.rest('POST', '/api/am/publisher/v4/apis', {
    name: 'Burst',
    context: '/burst',
    version: '1.0.0',
    policies: ['Unlimited'],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` },
    },
    operations: [{ target: '/items', verb: 'GET' }],
  });
  assert.equal(api.status, 201, api.text);
  await deployAndPublish(stack, api.json().id);
  assert.equal((await req(`${stack.cp}/api/am/devportal/v3/sign-up`, { body: dev })).status, 201);
  const app = await stack.rest(
    'POST',
    '/api/am/devportal/v3/applications',
    { name: 'BurstApp', throttlingPolicy: 'Burst3' },
    dev,
  );
  assert.equal(app.status, 201, app.text);
  const appId = app.json().applicationId as string;
  const sub = await stack.rest(
    'POST',
    '/api/am/devportal/v3/subscriptions',
    { applicationId: appId, apiId: api.json().id, throttlingPolicy: 'Unlimited' },
    dev,
  );
  assert.equal(sub.status, 201, sub.text);
  const keys = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${appId}/generate-keys`,
    { keyType: 'PRODUCTION', grantTypesToBeSupported: ['client_credentials'] },
    dev,
  );
  assert.equal(keys.status, 200, keys.text);
  const { consumerKey, consumerSecret } = keys.json() as { consumerKey: string; consumerSecret: string };
  const t = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` },
    form: { grant_type: 'client_credentials' },
  });
  assert.equal(t.status, 200, t.text);
  tok = t.json().access_token as string;
});

after(async () => {
  await stack?.stop();
  upstream?.close();
});

test('burstLimit 3/min: the 4th request of the minute gets 900809; removing it applies within a second', async () => {
  // The burst window is the clock minute: keep the four requests inside one.
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await sleep(60_100 - intoMinute);
  // Until the gateway knows the subscription, requests fail before throttling and count nothing.
  let first = 0;
  await waitFor(async () => ![401, 403].includes((first = (await call()).status)), 5000, 20);
  assert.equal(first, 200);
  assert.deepEqual([(await call()).status, (await call()).status], [200, 200]);
  const r = await call();
  assert.equal(r.status, 429, r.text);
  const body = r.json();
  assert.equal(body.code, '900809');
  assert.equal(body.message, 'Message throttled out');
  assert.match(
    body.description,
    /^You have exceeded your application burst limit quota \.You can access API after \d{4}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:00\+0000 UTC$/,
  );
  assert.ok(Number(r.headers['retry-after']) >= 1);

  const put = await stack.rest('PUT', `${POLICY}/${policyId}`, policyBody(null));
  assert.equal(put.status, 200, put.text);
  assert.equal(put.json().burstLimit, null);
  const t0 = Date.now();
  await waitFor(async () => (await call()).status === 200, 1000, 10);
  assert.ok(Date.now() - t0 < 1000, 'the changed policy reached the gateway within a second');
  assert.deepEqual([(await call()).status, (await call()).status], [200, 200]);
});
