import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { closedPort, startHarness, type Harness } from '../test-support/gateway-harness.js';
import { APPS, fixtureApi, fixtureSnapshot, KM_ISSUER } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';
import { BODY } from '../test-support/expected-faults.js';

describe('proxy', () => {
  const km = keyManagerKeys();
  let h: Harness;
  let headers: Record<string, string>;
  before(async () => {
    const port = await closedPort();
    h = await startHarness((u) => {
      const s = fixtureSnapshot(u, km.jwk);
      return { ...s, apis: [...s.apis, fixtureApi('down', '/down', `http://127.0.0.1:${port}`)] };
    });
    const now = Math.floor(h.clock.now() / 1000);
    headers = {
      authorization: `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: now, exp: now + 3600, jti: randomUUID() })}`,
    };
  });
  after(() => h.close());

  it('streams a POST body and the upstream response, dropping hop-by-hop headers', async () => {
    const body = JSON.stringify({ pizza: 'margherita', size: 'x'.repeat(100_000) });
    const r = await h.request('/pizzashack/1.0.0/order?q=1', {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': 'application/json',
        connection: 'keep-alive, x-hop',
        'x-hop': 'drop-me',
        te: 'trailers',
        'x-forwarded-for': '203.0.113.7',
      },
      body,
    });
    assert.equal(r.status, 200);
    assert.equal(r.headers['x-upstream'], 'yes');
    assert.deepEqual(JSON.parse(r.body), { ok: true, url: '/prod/api/order?q=1' });
    const seen = h.seen.at(-1)!;
    assert.equal(seen.method, 'POST');
    assert.equal(seen.body, body);
    assert.equal(seen.headers['x-hop'], undefined);
    assert.equal(seen.headers.te, undefined);
    assert.equal(seen.headers['x-forwarded-for'], '203.0.113.7, 127.0.0.1');
    assert.equal(seen.headers.host, h.upstreamUrl.slice('http://'.length));
  });

  it('a refused connection is 101503 (503)', async () => {
    const r = await h.request('/down/1.0.0/menu', { headers });
    assert.equal(r.status, 503);
    assert.equal(r.body, BODY.refused);
  });

  it('an upstream slower than endpoints.timeoutMs is 101504 (504)', async () => {
    const r = await h.request('/pizzashack/1.0.0/slow', { headers });
    assert.equal(r.status, 504);
    assert.equal(r.body, BODY.timeout);
  });
});
