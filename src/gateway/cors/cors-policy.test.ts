import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { keyManagerKeys } from '../test-support/mint-tokens.js';
import { fixtureSnapshot } from '../test-support/fixture-snapshot.js';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';

describe('CORS ([apim.cors])', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk));
  });
  after(() => h.close());

  it('answers a preflight with the allowed methods and headers (apikey included), without calling the backend', async () => {
    const before = h.seen.length;
    const r = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://portal.example',
        'access-control-request-method': 'GET',
        'access-control-request-headers': 'apikey',
      },
    });
    assert.equal(r.status, 204);
    assert.equal(r.headers['access-control-allow-origin'], '*');
    assert.match(String(r.headers['access-control-allow-headers']), /apikey/);
    assert.match(String(r.headers['access-control-allow-methods']), /GET/);
    assert.equal(h.seen.length, before);
  });

  it('adds Access-Control-Allow-Origin to proxied responses and to faults', async () => {
    const ok = await h.request('/pizzashack/1.0.0/open', { headers: { origin: 'https://portal.example' } });
    assert.equal(ok.status, 200);
    assert.equal(ok.headers['access-control-allow-origin'], '*');
    assert.equal(ok.headers['x-upstream'], 'yes', 'upstream headers kept');
    const fault = await h.request('/pizzashack/1.0.0/menu', {
      headers: { origin: 'https://portal.example' },
    });
    assert.equal(fault.status, 401);
    assert.equal(fault.headers['access-control-allow-origin'], '*');
  });

  it('adds nothing for same-origin requests (no Origin header)', async () => {
    const ok = await h.request('/pizzashack/1.0.0/open');
    assert.equal(ok.headers['access-control-allow-origin'], undefined);
  });
});

describe('CORS restricted to one origin', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      cors: {
        enabled: true,
        allowOrigins: ['https://ok.example'],
        allowMethods: ['GET'],
        allowHeaders: ['apikey'],
        allowCredentials: false,
      },
    });
  });
  after(() => h.close());

  it('refuses a preflight from another origin and echoes an allowed one', async () => {
    const bad = await h.request('/pizzashack/1.0.0/menu', {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    assert.equal(bad.status, 403);
    assert.equal(bad.headers['access-control-allow-origin'], undefined);
    const good = await h.request('/pizzashack/1.0.0/open', { headers: { origin: 'https://ok.example' } });
    assert.equal(good.headers['access-control-allow-origin'], 'https://ok.example');
  });
});
