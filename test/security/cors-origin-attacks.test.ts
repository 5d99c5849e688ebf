import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { Snapshot, SnapshotCors } from '../../src/core/index.js';
import type { CorsSettings } from '../../src/gateway/index.js';
import { fixtureSnapshot } from '../../src/gateway/test-support/fixture-snapshot.js';
import { startHarness, type Harness } from '../../src/gateway/test-support/gateway-harness.js';
import { keyManagerKeys } from '../../src/gateway/test-support/mint-tokens.js';

/** Listed origin of every policy below (configured in a non-canonical spelling on purpose). */
const ALLOWED = 'https://shop.example';

/** Origins that must never be echoed for a policy listing only {@link ALLOWED}. */
const ATTACK_ORIGINS = [
  'https://shop.example.evil.com',
  'https://evilshop.example',
  'https://evil-shop.example',
  'https://evil.example/https://shop.example',
  'https://evil.example?https://shop.example',
  'https://shop.example:8443',
  'https://shop.example:443',
  'http://shop.example',
  'HTTPS://SHOP.EXAMPLE',
  'https://SHOP.example',
  'https://shop.example/',
  'https://shop.example.',
  'https://shop.exampl',
  'https://user@shop.example',
  'https://shop.example@evil.example',
  'https://shop.example%00.evil.example',
  'https://shop.example, https://evil.example',
  'wss://shop.example',
  'null',
  '*',
  '',
];

/** One request; `origin` may be repeated (each value its own header line). */
function call(
  port: number,
  path: string,
  method: string,
  origin: string | string[],
  extra: Record<string, string> = {},
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method }, (res) => {
      res.resume();
      res.on('end', () => resolve(res));
    });
    req.setHeader('origin', origin);
    for (const [k, v] of Object.entries(extra)) req.setHeader(k, v);
    req.on('error', reject);
    req.end();
  });
}

/** Starts a gateway whose `[apim.cors]` is `global` and whose PizzaShack has `api` as its own CORS. */
async function gatewayWith(global: CorsSettings, api: SnapshotCors | null): Promise<Harness> {
  const km = keyManagerKeys();
  return startHarness(
    (u): Snapshot => {
      const snap = fixtureSnapshot(u, km.jwk);
      return { ...snap, apis: snap.apis.map((a) => (a.id === 'pizza' ? { ...a, cors: api } : a)) };
    },
    { cors: global },
  );
}

const listed = (extra: Partial<SnapshotCors> = {}): SnapshotCors => ({
  allowOrigins: ['https://SHOP.example/', 'null'],
  allowMethods: ['GET'],
  allowHeaders: ['authorization'],
  allowCredentials: true,
  ...extra,
});

for (const where of ['the API corsConfiguration', '[apim.cors]'] as const) {
  describe(`CORS origin matching is exact (${where})`, () => {
    let h: Harness;
    before(async () => {
      const policy = listed();
      const global: CorsSettings =
        where === '[apim.cors]'
          ? { enabled: true, ...policy }
          : {
              enabled: true,
              allowOrigins: ['https://other.example'],
              allowMethods: ['GET'],
              allowHeaders: [],
              allowCredentials: false,
            };
      h = await gatewayWith(global, where === '[apim.cors]' ? null : policy);
    });
    after(() => h.close());

    it('echoes the listed origin (configured as https://SHOP.example/) with credentials', async () => {
      const r = await h.request('/pizzashack/1.0.0/open', { headers: { origin: ALLOWED } });
      assert.equal(r.headers['access-control-allow-origin'], ALLOWED);
      assert.equal(r.headers['access-control-allow-credentials'], 'true');
    });

    for (const origin of ATTACK_ORIGINS) {
      it(`refuses Origin ${JSON.stringify(origin)}: no CORS headers, preflight 403`, async () => {
        const r = await h.request('/pizzashack/1.0.0/open', { headers: { origin } });
        assert.equal(r.status, 200);
        assert.equal(r.headers['access-control-allow-origin'], undefined);
        assert.equal(r.headers['access-control-allow-credentials'], undefined);
        if (origin === '') return; // an empty Origin is no cross-origin request at all
        const p = await h.request('/pizzashack/1.0.0/menu', {
          method: 'OPTIONS',
          headers: { origin, 'access-control-request-method': 'GET' },
        });
        assert.equal(p.status, 403);
        assert.equal(p.headers['access-control-allow-origin'], undefined);
      });
    }
  });
}

describe('CORS attack cases that need raw headers or a wildcard', () => {
  let h: Harness;
  let port: number;
  let server: http.Server;
  before(async () => {
    h = await gatewayWith(
      { enabled: true, allowOrigins: ['*'], allowMethods: ['GET'], allowHeaders: [], allowCredentials: true },
      listed(),
    );
    server = http.createServer(h.gateway.handle).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as { port: number }).port;
  });
  after(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    await h.close();
  });

  it('two Origin headers (the listed one first) are refused, not matched on the first', async () => {
    const r = await call(port, '/pizzashack/1.0.0/open', 'GET', [ALLOWED, 'https://evil.example']);
    assert.equal(r.statusCode, 200);
    assert.equal(r.headers['access-control-allow-origin'], undefined);
    const p = await call(port, '/pizzashack/1.0.0/menu', 'OPTIONS', [ALLOWED, 'https://evil.example'], {
      'access-control-request-method': 'GET',
    });
    assert.equal(p.statusCode, 403);
  });

  it("[apim.cors] '*' with allow_credentials answers '*' without credentials, never the caller's origin", async () => {
    // Regression: the gateway echoed any origin with Access-Control-Allow-Credentials: true, letting every site
    // read credentialed answers. WSO2 (and the Fetch standard) never combine '*' with credentials.
    for (const origin of ['https://evil.example', 'null']) {
      const r = await h.request('/apilimited/1.0.0/open', { headers: { origin } });
      assert.equal(r.headers['access-control-allow-origin'], '*', origin);
      assert.equal(r.headers['access-control-allow-credentials'], undefined, origin);
      const p = await h.request('/apilimited/1.0.0/menu', {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
      assert.equal(p.status, 204);
      assert.equal(p.headers['access-control-allow-origin'], '*');
      assert.equal(p.headers['access-control-allow-credentials'], undefined);
    }
  });

  it("the API's own list overrides the gateway's '*' (an unlisted origin gets nothing)", async () => {
    const r = await h.request('/pizzashack/1.0.0/open', { headers: { origin: 'https://evil.example' } });
    assert.equal(r.headers['access-control-allow-origin'], undefined);
  });
});
