import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Snapshot, SnapshotCors } from '../../core/index.js';
import { fixtureApi, fixtureSnapshot } from '../test-support/fixture-snapshot.js';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { keyManagerKeys } from '../test-support/mint-tokens.js';

const API_CORS: SnapshotCors = {
  allowOrigins: ['https://shop.example'],
  allowMethods: ['GET', 'POST'],
  allowHeaders: ['authorization', 'x-pizza'],
  allowCredentials: true,
};

/** PizzaShack with its own CORS; `/withoptions` has an OPTIONS resource; the other APIs keep `[apim.cors]`. */
const snapshotWithCors = (upstream: string, jwk: Parameters<typeof fixtureSnapshot>[1]): Snapshot => {
  const snap = fixtureSnapshot(upstream, jwk);
  const options = fixtureApi('with-options', '/withoptions', upstream, { cors: API_CORS });
  return {
    ...snap,
    apis: [
      ...snap.apis.map((a) => (a.id === 'pizza' ? { ...a, cors: API_CORS } : a)),
      {
        ...options,
        resources: [
          ...options.resources,
          { verb: 'OPTIONS', target: '/menu', authType: 'None', throttlingPolicy: 'Unlimited', scopes: [] },
        ],
      },
    ],
  };
};

const preflight = (origin: string, requestHeaders?: string): Record<string, string> => ({
  origin,
  'access-control-request-method': 'GET',
  ...(requestHeaders === undefined ? {} : { 'access-control-request-headers': requestHeaders }),
});

describe('CORS per API (corsConfiguration)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    // [apim.cors] allows any origin without credentials; PizzaShack's own configuration replaces it.
    h = await startHarness((u) => snapshotWithCors(u, km.jwk));
  });
  after(() => h.close());

  it("answers a preflight with the API's origins, methods, headers and credentials, without the backend", async () => {
    const seen = h.seen.length;
    const r = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://shop.example', 'authorization'),
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], 'https://shop.example');
    assert.equal(r.headers['access-control-allow-methods'], 'GET,POST');
    assert.equal(r.headers['access-control-allow-headers'], 'authorization,x-pizza');
    assert.equal(r.headers['access-control-allow-credentials'], 'true');
    assert.equal(r.headers.vary, 'Origin');
    assert.equal(h.seen.length, seen);
  });

  it("refuses a preflight from an origin the API does not list, though [apim.cors] allows '*'", async () => {
    const r = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://portal.example'),
    });
    assert.equal(r.status, 403);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    // Another API keeps the gateway's [apim.cors].
    const other = await h.request('/apilimited/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://portal.example'),
    });
    assert.equal(other.status, 204);
    assert.equal(other.headers['access-control-allow-origin'], '*');
    assert.equal(other.headers['access-control-allow-credentials'], undefined);
  });

  it('adds the headers to proxied responses and faults of an allowed origin only', async () => {
    const ok = await h.request('/pizzashack/1.0.0/open', { headers: { origin: 'https://shop.example' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], 'https://shop.example');
    assert.equal(ok.headers['access-control-allow-credentials'], 'true');
    assert.equal(ok.headers['x-upstream'], 'yes');
    const fault = await h.request('/pizzashack/1.0.0/menu', { headers: { origin: 'https://shop.example' } });
    assert.equal(fault.status, 401);
    assert.equal(fault.headers['access-control-allow-origin'], 'https://shop.example');
    const foreign = await h.request('/pizzashack/1.0.0/open', {
      headers: { origin: 'https://portal.example' },
    });
    assert.equal(foreign.status, 200, 'CORS never blocks the call itself; the browser withholds the answer');
    assert.equal(foreign.headers['access-control-allow-origin'], undefined);
  });

  it("an API's OPTIONS resource answers its own preflights (WSO2): the request goes to the backend", async () => {
    const seen = h.seen.length;
    const r = await h.request('/withoptions/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://shop.example'),
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-upstream'], 'yes');
    assert.equal(h.seen.length, seen + 1);
    assert.equal(h.seen.at(-1)?.method, 'OPTIONS');
    // Other paths of the same API are still answered by the gateway.
    const gw = await h.request('/withoptions/1.0.0/order/1', {
      method: 'OPTIONS',
      headers: preflight('https://shop.example'),
    });
    assert.equal(gw.status, 204);
    assert.equal(h.seen.length, seen + 1);
  });

  it('a snapshot that disables the API configuration brings back [apim.cors]', async () => {
    h.source.publish(fixtureSnapshot(h.upstreamUrl, km.jwk, 2));
    const r = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://portal.example'),
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], '*');
  });
});

describe('CORS per API with the gateway CORS off', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => snapshotWithCors(u, km.jwk), {
      cors: { enabled: false, allowOrigins: [], allowMethods: [], allowHeaders: [], allowCredentials: false },
    });
  });
  after(() => h.close());

  it("the API's configuration applies; APIs without one get no CORS headers", async () => {
    const own = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://shop.example'),
    });
    assert.equal(own.status, 204);
    assert.equal(own.headers['access-control-allow-origin'], 'https://shop.example');
    const other = await h.request('/apilimited/1.0.0/open', { headers: { origin: 'https://shop.example' } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
  });
});

describe("CORS allowHeaders '*' and origins '*' (WSO2)", () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => {
      const snap = fixtureSnapshot(u, km.jwk);
      const cors: SnapshotCors = {
        allowOrigins: ['*'],
        allowMethods: ['GET'],
        allowHeaders: ['*'],
        allowCredentials: true,
      };
      return { ...snap, apis: snap.apis.map((a) => (a.id === 'pizza' ? { ...a, cors } : a)) };
    });
  });
  after(() => h.close());

  it("'*' headers echo a well-formed request list; '*' origins answer '*' and never credentials", async () => {
    const r = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://any.example', 'x-one, X-Two'),
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.equal(r.headers['access-control-allow-headers'], 'x-one, X-Two');
    assert.equal(r.headers['access-control-allow-credentials'], undefined);
    const bad = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: preflight('https://any.example', 'x-one; evil=1'),
    });
    assert.equal(bad.headers['access-control-allow-headers'], undefined, 'a malformed list is not echoed');
  });
});
