import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { compileResourceTemplate } from './resource-template.js';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { fixtureSnapshot, KM_ISSUER } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';
import { BODY, FAULT_CONTENT_TYPE } from '../test-support/expected-faults.js';

describe('resource templates', () => {
  it('matches literals, {params}, /* and ignores a trailing slash', () => {
    const order = compileResourceTemplate('/order/{orderId}');
    assert.equal(order.matches('/order/42'), true);
    assert.equal(order.matches('/order/42/'), true);
    assert.equal(order.matches('/order'), false);
    assert.equal(order.matches('/order/42/items'), false);
    const all = compileResourceTemplate('/*');
    assert.equal(all.matches('/'), true);
    assert.equal(all.matches('/a/b/c'), true);
    const files = compileResourceTemplate('/files/*');
    assert.equal(files.matches('/files'), true);
    assert.equal(files.matches('/files/a/b'), true);
    assert.equal(files.matches('/filesx'), false);
    assert.equal(compileResourceTemplate('/a.b').matches('/aXb'), false);
  });

  it('ranks literal over param over wildcard', () => {
    const lit = compileResourceTemplate('/order/special').specificity;
    const param = compileResourceTemplate('/order/{id}').specificity;
    const wild = compileResourceTemplate('/order/*').specificity;
    assert.ok(lit > param && param > wild);
  });
});

describe('routing', () => {
  const km = keyManagerKeys();
  let h: Harness;
  let auth: Record<string, string>;
  before(async () => {
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk));
    const now = Math.floor(h.clock.now() / 1000);
    const token = mintAccessToken(km.privateKey, {
      sub: 'admin',
      azp: 'ck-1',
      scope: 'default',
      iss: KM_ISSUER,
      iat: now,
      exp: now + 3600,
      jti: randomUUID(),
    });
    auth = { authorization: `Bearer ${token}` };
  });
  after(() => h.close());

  it('GET /health reports the snapshot version', async () => {
    const r = await h.request('/health');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), {
      status: 'UP',
      version: '0.1.0-test',
      softwareVersion: '0.1.0-test',
      snapshotVersion: 1,
      origin: 'live',
      ageMs: 0,
      lag: 0,
      warnings: [],
    });
    assert.equal(h.gateway.currentVersion(), 1);
    const ready = await h.request('/health/ready');
    assert.equal(ready.status, 200);
    assert.equal(JSON.parse(ready.body).status, 'READY');
  });

  it('routes path params to the endpoint path + rest + query', async () => {
    const r = await h.request('/pizzashack/1.0.0/order/42?x=1&y=2', { headers: auth });
    assert.equal(r.status, 200);
    assert.equal(h.seen.at(-1)?.url, '/prod/api/order/42?x=1&y=2');
  });

  it('most specific template wins and /* matches deep paths', async () => {
    assert.equal((await h.request('/pizzashack/1.0.0/order/special', { headers: auth })).status, 200);
    const r = await h.request('/pizzashack/1.0.0/files/a/b.txt', { headers: auth });
    assert.equal(r.status, 200);
    assert.equal(h.seen.at(-1)?.url, '/prod/api/files/a/b.txt');
  });

  it('a wrong verb or unknown resource is 900906 (403)', async () => {
    for (const [method, path] of [
      ['DELETE', '/pizzashack/1.0.0/menu'],
      ['GET', '/pizzashack/1.0.0/nothing'],
      ['GET', '/pizzashack/1.0.0'],
    ] as const) {
      const r = await h.request(path, { method, headers: auth });
      assert.equal(r.status, 403, path);
      assert.equal(r.body, BODY.noResource);
      assert.equal(r.headers['content-type'], FAULT_CONTENT_TYPE);
    }
  });

  it('unknown context, wrong version or an unpublished API is a 404 fault', async () => {
    for (const path of [
      '/nope/1.0.0/menu',
      '/pizzashack/2.0.0/menu',
      '/draft/1.0.0/menu',
      '/pizzashack1.0.0/menu',
    ]) {
      const r = await h.request(path, { headers: auth });
      assert.equal(r.status, 404, path);
      assert.equal(r.body, BODY.noApi);
    }
  });

  it('a BLOCKED API answers 700700 (503)', async () => {
    const r = await h.request('/blocked/1.0.0/menu', { headers: auth });
    assert.equal(r.status, 503);
    assert.equal(r.body, BODY.lifecycleBlocked);
  });

  it('a None resource needs no credential', async () => {
    const r = await h.request('/pizzashack/1.0.0/open');
    assert.equal(r.status, 200);
    assert.equal(h.seen.at(-1)?.url, '/prod/api/open');
  });
});
