import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as req, waitFor } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

// Conformance on the real wiring (startAllInOne): publisher → subscription → keys → token → gateway, with two real
// upstreams so that production and sandbox routing are visible.
let stack: Stack;
let prod: http.Server;
let sandbox: http.Server;
const seen: { env: string; url: string; auth: string | undefined }[] = [];

function upstream(env: string): Promise<http.Server> {
  const s = http.createServer((rq, rs) => {
    seen.push({ env, url: rq.url ?? '', auth: rq.headers.authorization });
    rs.setHeader('content-type', 'application/json');
    rs.end(JSON.stringify({ env, path: rq.url }));
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}
const portOf = (s: http.Server) => (s.address() as AddressInfo).port;

const dev = { username: 'dev', password: 'dev-password-1' };
let apiId = '';
let devApp = '';
let devSubscription = '';
const tokens: Record<string, string> = {};

async function token(ck: string, cs: string, scope?: string): Promise<string> {
  const r = await req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${ck}:${cs}`).toString('base64')}` },
    form: { grant_type: 'client_credentials', ...(scope ? { scope } : {}) },
  });
  assert.equal(r.status, 200, r.text);
  return r.json().access_token as string;
}

async function keysFor(app: string, keyType: 'PRODUCTION' | 'SANDBOX', user = dev) {
  const r = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${app}/generate-keys`,
    {
      keyType,
      grantTypesToBeSupported: ['client_credentials'],
    },
    user,
  );
  assert.equal(r.status, 200, r.text);
  return r.json() as { consumerKey: string; consumerSecret: string };
}

const call = (path: string, tok: string) =>
  req(`${stack.gw}/echo/1.0.0${path}`, { headers: { authorization: `Bearer ${tok}` } });

before(async () => {
  [prod, sandbox] = await Promise.all([upstream('prod'), upstream('sandbox')]);
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const policy = await stack.rest('POST', '/api/am/admin/v4/throttling/policies/subscription', {
    policyName: 'Quota6',
    displayName: 'Quota6',
    description: '6 requests per minute',
    defaultLimit: {
      type: 'REQUESTCOUNTLIMIT',
      requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 6 },
    },
    stopOnQuotaReach: true,
    billingPlan: 'FREE',
  });
  assert.equal(policy.status, 201, policy.text);
  const created = await stack.rest('POST', '/api/am/publisher/v4/apis', {
    name: 'Echo',
    context: '/echo',
    version: '1.0.0',
    policies: ['Gold', 'Quota6', 'Unlimited'],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: `http://127.0.0.1:${portOf(prod)}/v1` },
      sandbox_endpoints: { url: `http://127.0.0.1:${portOf(sandbox)}/v1` },
    },
    operations: [
      { target: '/items', verb: 'GET' },
      { target: '/admin', verb: 'GET', scopes: ['echo:admin'] },
    ],
    scopes: [
      {
        scope: {
          name: 'echo:admin',
          displayName: 'echo admin',
          description: 'admin only',
          bindings: ['admin'],
        },
        shared: false,
      },
    ],
  });
  assert.equal(created.status, 201, created.text);
  apiId = created.json().id;
  await deployAndPublish(stack, apiId);

  const signup = await req(`${stack.cp}/api/am/devportal/v3/sign-up`, { body: dev });
  assert.equal(signup.status, 201, signup.text);
  const app = await stack.rest(
    'POST',
    '/api/am/devportal/v3/applications',
    { name: 'EchoApp', throttlingPolicy: 'Unlimited' },
    dev,
  );
  assert.equal(app.status, 201, app.text);
  devApp = app.json().applicationId;
  const sub = await stack.rest(
    'POST',
    '/api/am/devportal/v3/subscriptions',
    { applicationId: devApp, apiId, throttlingPolicy: 'Quota6' },
    dev,
  );
  assert.equal(sub.status, 201, sub.text);
  devSubscription = sub.json().subscriptionId;
  const p = await keysFor(devApp, 'PRODUCTION');
  const s = await keysFor(devApp, 'SANDBOX');
  tokens.prod = await token(p.consumerKey, p.consumerSecret, 'echo:admin');
  tokens.sandbox = await token(s.consumerKey, s.consumerSecret);
});

after(async () => {
  await stack?.stop();
  prod?.close();
  sandbox?.close();
});

test('production key reaches the production endpoint; the client Authorization header is not forwarded', async () => {
  const r = await call('/items?x=1', tokens.prod!);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json(), { env: 'prod', path: '/v1/items?x=1' });
  assert.equal(seen.at(-1)?.auth, undefined);
});

test('sandbox key reaches the sandbox endpoint', async () => {
  const r = await call('/items', tokens.sandbox!);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json().env, 'sandbox');
});

test("a scope the owner's roles do not allow is not granted: 403 900910", async () => {
  const r = await call('/admin', tokens.prod!);
  assert.equal(r.status, 403);
  assert.deepEqual(r.json(), {
    code: '900910',
    message: 'The access token does not allow you to access the requested resource',
    description: 'User is NOT authorized to access the Resource: /admin. Scope validation failed.',
  });
});

test('a blocked subscription reaches the gateway in under one second (900907), and unblocking too', async () => {
  const r = await stack.rest(
    'POST',
    `/api/am/publisher/v4/subscriptions/block-subscription?subscriptionId=${devSubscription}&blockState=BLOCKED`,
  );
  assert.equal(r.status, 200, r.text);
  const t0 = Date.now();
  await waitFor(async () => (await call('/items', tokens.sandbox!)).status === 401, 1000, 10);
  const elapsed = Date.now() - t0;
  const blocked = await call('/items', tokens.sandbox!);
  assert.equal(blocked.json().code, '900907');
  assert.ok(elapsed < 1000, `propagated in ${elapsed} ms`);
  await stack.rest(
    'POST',
    `/api/am/publisher/v4/subscriptions/unblock-subscription?subscriptionId=${devSubscription}`,
  );
  await waitFor(async () => (await call('/items', tokens.sandbox!)).status === 200, 1000, 10);
});

test('a revoked token is refused by the gateway in under one second', async () => {
  const s = await req(`${stack.cp}/api/am/devportal/v3/applications/${devApp}/oauth-keys`, {
    headers: { authorization: `Basic ${Buffer.from(`${dev.username}:${dev.password}`).toString('base64')}` },
  });
  assert.equal(s.status, 200, s.text);
  const sandboxKey = (s.json().list as { keyType: string; consumerKey: string }[]).find(
    (k) => k.keyType === 'SANDBOX',
  );
  assert.ok(sandboxKey);
  const regen = await stack.rest(
    'POST',
    `/api/am/devportal/v3/applications/${devApp}/oauth-keys/${(s.json().list as { keyType: string; keyMappingId: string }[]).find((k) => k.keyType === 'SANDBOX')!.keyMappingId}/regenerate-secret`,
    undefined,
    dev,
  );
  assert.equal(regen.status, 200, regen.text);
  const tok = await token(sandboxKey.consumerKey, regen.json().consumerSecret);
  assert.equal((await call('/items', tok)).status, 200);
  const rv = await req(`${stack.cp}/oauth2/revoke`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${sandboxKey.consumerKey}:${regen.json().consumerSecret}`).toString('base64')}`,
    },
    form: { token: tok },
  });
  assert.equal(rv.status, 200);
  const t0 = Date.now();
  await waitFor(async () => (await call('/items', tok)).status === 401, 1000, 10);
  assert.ok(Date.now() - t0 < 1000);
});

test('over the subscription quota: 429 900804 with Retry-After and nextAccessTime', async () => {
  // Quota6 allows 6 requests per minute per application and API; earlier tests used some of them, so this one runs last.
  let last = await call('/items', tokens.prod!);
  for (let i = 0; i < 7 && last.status === 200; i++) last = await call('/items', tokens.prod!);
  assert.equal(last.status, 429, last.text);
  const body = last.json();
  assert.equal(body.code, '900804');
  assert.equal(body.message, 'Message throttled out');
  assert.match(
    body.description,
    /^You have exceeded your quota \.You can access API after \d{4}-[A-Z][a-z]{2}-\d{2} \d{2}:\d{2}:\d{2}\+0000 UTC$/,
  );
  assert.ok(Number(last.headers['retry-after']) >= 1);
});
