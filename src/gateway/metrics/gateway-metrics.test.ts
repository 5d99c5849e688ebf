import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { networkInterfaces } from 'node:os';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { startHarness, type Harness } from '../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot, KM_ISSUER } from '../test-support/fixture-snapshot.js';
import { keyManagerKeys, mintAccessToken } from '../test-support/mint-tokens.js';
import type { GatewaySettings } from '../gateway-options.js';
import { isLoopback } from './metrics-endpoint.js';

const km = keyManagerKeys();
const start = (metrics: GatewaySettings['metrics']) =>
  startHarness((u) => fixtureSnapshot(u, km.jwk), metrics === undefined ? {} : { metrics });

const family = (families: ParsedFamily[], name: string): ParsedFamily => {
  const f = families.find((x) => x.name === name);
  assert.ok(f, `metric family ${name} is exported`);
  return f;
};
/** `{labels → value}` of a counter or gauge family, labels written `k=v,k=v` in name order. */
const samples = (f: ParsedFamily): Record<string, number> =>
  Object.fromEntries(
    f.metrics.map((m) => [
      Object.entries(m.labels ?? {})
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => `${k}=${v}`)
        .join(','),
      Number(m.value),
    ]),
  );

describe('gateway /metrics', () => {
  let h: Harness;
  before(async () => {
    h = await start({ access: 'loopback', token: '' });
  });
  after(() => h.close());

  const nowSec = () => Math.floor(h.clock.now() / 1000);
  const bearer = (appId: number) =>
    `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: `ck-${appId}`, iss: KM_ISSUER, iat: nowSec(), exp: nowSec() + 3600, jti: randomUUID() })}`;

  it('counts a known sequence exactly: 3 × 200, 2 × 401 missing credentials, 1 × 429 throttled', async () => {
    // APPS.subLimited's subscription policy allows 3 requests a minute: the 4th is 429 900804.
    const token = bearer(APPS.subLimited);
    const got: number[] = [];
    for (let i = 0; i < 4; i++)
      got.push((await h.request('/pizzashack/1.0.0/menu', { headers: { authorization: token } })).status);
    for (let i = 0; i < 2; i++) got.push((await h.request('/pizzashack/1.0.0/menu')).status);
    assert.deepEqual(got, [200, 200, 200, 429, 401, 401]);

    const r = await h.request('/metrics');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/plain; version=0.0.4; charset=utf-8');
    const families = parsePrometheusTextFormat(r.body);
    assert.deepEqual(samples(family(families, 'portico_gateway_requests_total')), {
      'api=pizza-name,fault_code=,status=200,version=1.0.0': 3,
      'api=pizza-name,fault_code=900804,status=429,version=1.0.0': 1,
      'api=pizza-name,fault_code=900902,status=401,version=1.0.0': 2,
    });
    assert.deepEqual(samples(family(families, 'portico_gateway_auth_failures_total')), {
      'reason=missing_credentials': 2,
    });
    assert.deepEqual(samples(family(families, 'portico_gateway_throttled_total')), {
      'level=subscription,policy=3PerMin': 1,
    });
    assert.equal(family(families, 'portico_gateway_overhead_seconds').type, 'HISTOGRAM');
    // The parser drops the labels of histogram samples written `le` first (as prom-client does): the counts are
    // read from the text itself.
    assert.match(r.body, /^portico_gateway_overhead_seconds_count\{api="pizza-name",version="1\.0\.0"\} 6$/m);
    assert.match(r.body, /^portico_gateway_upstream_seconds_count\{api="pizza-name",version="1\.0\.0"\} 3$/m);
    // One verification, then the cached token: 1 miss and 3 hits (the fourth request is throttled after auth).
    assert.deepEqual(samples(family(families, 'portico_gateway_token_cache_hits')), {
      'cache=access_token': 3,
      'cache=api_key': 0,
    });
    assert.deepEqual(samples(family(families, 'portico_gateway_token_cache_misses')), {
      'cache=access_token': 1,
      'cache=api_key': 0,
    });
    assert.deepEqual(samples(family(families, 'portico_gateway_snapshot_version')), { '': 1 });
    assert.ok(
      families.some((f) => f.name === 'process_cpu_user_seconds_total'),
      'Node process metrics',
    );
  });

  it('an auth failure is counted by reason: malformed, unknown key, bad signature, expired, unsubscribed', async () => {
    const other = keyManagerKeys();
    const claims = (over: Record<string, unknown>) => ({
      sub: 'admin',
      azp: `ck-${APPS.subscribed}`,
      iss: KM_ISSUER,
      iat: nowSec(),
      exp: nowSec() + 3600,
      jti: randomUUID(),
      ...over,
    });
    const sent: [string, string][] = [
      ['malformed', 'Bearer a.b.c'],
      ['unknown opaque', 'Bearer not-a-jwt'],
      ['other issuer', `Bearer ${mintAccessToken(km.privateKey, claims({ iss: 'https://elsewhere' }))}`],
      ['wrong signer', `Bearer ${mintAccessToken(other.privateKey, claims({}))}`],
      [
        'expired',
        `Bearer ${mintAccessToken(km.privateKey, claims({ iat: nowSec() - 7200, exp: nowSec() - 3600 }))}`,
      ],
      ['unsubscribed', bearer(APPS.unsubscribed)],
    ];
    for (const [what, authorization] of sent) {
      const r = await h.request('/pizzashack/1.0.0/menu', { headers: { authorization } });
      assert.ok(r.status === 401 || r.status === 403, `${what}: ${r.status}`);
    }
    const families = parsePrometheusTextFormat((await h.request('/metrics')).body);
    const reasons = samples(family(families, 'portico_gateway_auth_failures_total'));
    assert.equal(reasons['reason=malformed'], 1);
    assert.equal(reasons['reason=unknown_key'], 2);
    assert.equal(reasons['reason=bad_signature'], 1);
    assert.equal(reasons['reason=expired'], 1);
    assert.equal(reasons['reason=unsubscribed'], 1);
    assert.equal(reasons['reason=invalid_credentials'], undefined, 'every 900901 says why');
  });
});

describe('gateway /metrics: throttled requests by level and policy', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness(
      (u) => {
        const snap = fixtureSnapshot(u, km.jwk);
        const maxTps = { production: { count: 2, unitMs: 60_000 }, sandbox: null };
        return { ...snap, apis: snap.apis.map((a) => (a.id === 'pizza' ? { ...a, maxTps } : a)) };
      },
      { metrics: { access: 'loopback', token: '' } },
    );
  });
  after(() => h.close());

  it('names the policy: API policy 2PerMin, backend maxTps.production', async () => {
    const nowSec = Math.floor(h.clock.now() / 1000);
    const authorization = `Bearer ${mintAccessToken(km.privateKey, { sub: 'admin', azp: `ck-${APPS.subscribed}`, iss: KM_ISSUER, iat: nowSec, exp: nowSec + 3600, jti: randomUUID() })}`;
    const got: number[] = [];
    for (let i = 0; i < 3; i++)
      got.push((await h.request('/apilimited/1.0.0/menu', { headers: { authorization } })).status);
    for (let i = 0; i < 4; i++) got.push((await h.request('/pizzashack/1.0.0/open')).status);
    assert.deepEqual(got, [200, 200, 429, 200, 200, 503, 503]);
    const families = parsePrometheusTextFormat((await h.request('/metrics')).body);
    assert.deepEqual(samples(family(families, 'portico_gateway_throttled_total')), {
      'level=api,policy=2PerMin': 1,
      'level=backend,policy=maxTps.production': 2,
    });
    assert.deepEqual(
      samples(family(families, 'portico_gateway_requests_total'))[
        'api=pizza-name,fault_code=900801,status=503,version=1.0.0'
      ],
      2,
    );
  });
});

describe('gateway /metrics protection', () => {
  it('off (the library default): /metrics is routed like any path, so 404 with no API there', async () => {
    const h = await start(undefined);
    try {
      const r = await h.request('/metrics');
      assert.equal(r.status, 404);
      assert.equal(JSON.parse(r.body).code, '404');
      assert.equal(h.gateway.metrics, null);
    } finally {
      await h.close();
    }
  });

  it('token: 401 without or with a wrong token, 200 with the right one', async () => {
    const h = await start({ access: 'token', token: 's3cret-metrics-token' });
    try {
      const none = await h.request('/metrics');
      assert.equal(none.status, 401);
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="metrics"');
      assert.doesNotMatch(none.body, /s3cret/);
      const wrong = await h.request('/metrics', {
        headers: { authorization: 'Bearer s3cret-metrics-tokeN' },
      });
      assert.equal(wrong.status, 401);
      const right = await h.request('/metrics', {
        headers: { authorization: 'Bearer s3cret-metrics-token' },
      });
      assert.equal(right.status, 200);
      assert.match(right.body, /^# HELP portico_gateway_requests_total /m);
    } finally {
      await h.close();
    }
  });

  it('token mode without a token stays closed (404)', async () => {
    const h = await start({ access: 'token', token: '' });
    try {
      assert.equal((await h.request('/metrics')).status, 404);
    } finally {
      await h.close();
    }
  });

  it('loopback: 404 for a client on a non-loopback address', async (t) => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)?.address;
    if (address === undefined) return t.skip('no non-loopback IPv4 interface on this machine');
    const h = await start({ access: 'loopback', token: '' });
    const server = http.createServer(h.gateway.handle).listen(0, address);
    try {
      await new Promise((r) => server.once('listening', r));
      const port = (server.address() as { port: number }).port;
      const status = await new Promise<number>((resolve, reject) =>
        http
          .get({ host: address, port, path: '/metrics', localAddress: address }, (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          })
          .on('error', reject),
      );
      assert.equal(status, 404);
      assert.equal((await h.request('/metrics')).status, 200);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      await h.close();
    }
  });

  it('isLoopback knows IPv4, IPv6 and IPv4-mapped loopback', () => {
    assert.deepEqual(
      [
        '127.0.0.1',
        '127.9.9.9',
        '::1',
        '::ffff:127.0.0.1',
        '10.0.0.1',
        '::ffff:10.0.0.1',
        '::2',
        undefined,
      ].map(isLoopback),
      [true, true, true, true, false, false, false, false],
    );
  });
});
