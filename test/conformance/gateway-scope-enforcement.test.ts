import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { http as req } from '../support/http.js';
import { deployAndPublish, startStack, type Stack } from '../support/stack.js';

/**
 * Issue 13 on the real wiring (startAllInOne, SQLite): a resource bound to a Publisher shared scope or an API-local
 * scope lets in a token holding one of them and answers WSO2's 900910 otherwise, for JWT and opaque (OAUTH
 * application) tokens alike; the token endpoint grants the permitted subset by the app owner's roles.
 */
let stack: Stack;
let upstream: http.Server;
const dev = { username: 'scoped-dev', password: 'scoped-dev-password-1' };
const clients: Record<'JWT' | 'OAUTH', { ck: string; cs: string }> = {
  JWT: { ck: '', cs: '' },
  OAUTH: { ck: '', cs: '' },
};

const denied = (resource: string) => ({
  code: '900910',
  message: 'The access token does not allow you to access the requested resource',
  description: `User is NOT authorized to access the Resource: ${resource}. Scope validation failed.`,
});

async function token(kind: 'JWT' | 'OAUTH', scope?: string) {
  const { ck, cs } = clients[kind];
  return req(`${stack.cp}/oauth2/token`, {
    headers: { authorization: `Basic ${Buffer.from(`${ck}:${cs}`).toString('base64')}` },
    form: { grant_type: 'client_credentials', ...(scope !== undefined ? { scope } : {}) },
  });
}

const call = (path: string, tok: string) =>
  req(`${stack.gw}/scoped/1.0.0${path}`, { headers: { authorization: `Bearer ${tok}` } });

before(async () => {
  upstream = http.createServer((_rq, rs) => rs.end('{"ok":true}'));
  await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', () => r()));
  stack = await startStack({ toml: '[apim.sample]\ndeploy_on_first_start = false\n' });
  const shared = await stack.rest('POST', '/api/am/publisher/v4/scopes', {
    name: 'pets:read',
    bindings: ['Internal/subscriber'],
  });
  assert.equal(shared.status, 201, shared.text);
  const created = await stack.rest('POST', '/api/am/publisher/v4/apis', {
    name: 'Scoped',
    context: '/scoped',
    version: '1.0.0',
    policies: ['Unlimited'],
    endpointConfig: {
      endpoint_type: 'http',
      production_endpoints: { url: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1` },
    },
    operations: [
      { target: '/pets', verb: 'GET', scopes: ['pets:read'] },
      { target: '/admin', verb: 'GET', scopes: ['pets:admin', 'pets:read-all'] },
      { target: '/open', verb: 'GET' },
    ],
    scopes: [
      { scope: { name: 'pets:read' }, shared: true },
      { scope: { name: 'pets:admin', bindings: ['admin'] }, shared: false },
      { scope: { name: 'pets:read-all', bindings: ['admin'] }, shared: false },
    ],
  });
  assert.equal(created.status, 201, created.text);
  await deployAndPublish(stack, created.json().id);
  assert.equal((await req(`${stack.cp}/api/am/devportal/v3/sign-up`, { body: dev })).status, 201);
  for (const tokenType of ['JWT', 'OAUTH'] as const) {
    const app = await stack.rest(
      'POST',
      '/api/am/devportal/v3/applications',
      { name: `Scoped${tokenType}`, throttlingPolicy: 'Unlimited', tokenType },
      dev,
    );
    assert.equal(app.status, 201, app.text);
    const appId = app.json().applicationId;
    const sub = await stack.rest(
      'POST',
      '/api/am/devportal/v3/subscriptions',
      { applicationId: appId, apiId: created.json().id, throttlingPolicy: 'Unlimited' },
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
    clients[tokenType] = { ck: keys.json().consumerKey, cs: keys.json().consumerSecret };
  }
});

after(async () => {
  await stack?.stop();
  upstream?.close();
});

for (const kind of ['JWT', 'OAUTH'] as const) {
  test(`${kind} token: the permitted subset is granted, not 400; with the scope 200, without it 403 900910`, async () => {
    const asked = await token(kind, 'pets:read pets:admin not:registered');
    assert.equal(asked.status, 200, asked.text);
    assert.equal(asked.json().scope, 'pets:read default', "the owner's roles allow pets:read only");
    const scoped = asked.json().access_token as string;
    if (kind === 'OAUTH') assert.equal(scoped.split('.').length, 1, 'an opaque token');
    const plain = await token(kind);
    assert.equal(plain.json().scope, 'default');

    const ok = await call('/pets', scoped);
    assert.equal(ok.status, 200, ok.text);
    const admin = await call('/admin', scoped);
    assert.equal(admin.status, 403);
    assert.deepEqual(admin.json(), denied('/admin'));
    const none = await call('/pets', plain.json().access_token);
    assert.equal(none.status, 403);
    assert.deepEqual(none.json(), denied('/pets'));
    assert.equal((await call('/open', plain.json().access_token)).status, 200, 'no scope on the resource');
  });
}

test('a shared scope bound to no role of the owner is not granted', async () => {
  const changed = await stack.rest('GET', '/api/am/publisher/v4/scopes');
  const id = (changed.json().list as { id: string; name: string }[]).find((s) => s.name === 'pets:read')!.id;
  const put = await stack.rest('PUT', `/api/am/publisher/v4/scopes/${id}`, {
    name: 'pets:read',
    bindings: ['admin'],
  });
  assert.equal(put.status, 200, put.text);
  const r = await token('JWT', 'pets:read');
  assert.equal(r.json().scope, 'default');
  assert.equal((await call('/pets', r.json().access_token)).status, 403);
});
