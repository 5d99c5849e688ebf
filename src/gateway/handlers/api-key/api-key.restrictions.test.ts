import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHarness, type Harness } from '../../test-support/gateway-harness.js';
import { APPS, fixtureSnapshot } from '../../test-support/fixture-snapshot.js';
import { keyManagerKeys, lightweightClaims, mintApiKey } from '../../test-support/mint-tokens.js';
import { BODY } from '../../test-support/expected-faults.js';

describe('API-key IP and referrer restrictions (seed table)', () => {
  const km = keyManagerKeys();
  let h: Harness;
  before(async () => {
    // xff-first lets the test choose the client IP through X-Forwarded-For.
    h = await startHarness((u) => fixtureSnapshot(u, km.jwk), {
      clientIp: { trustedProxies: [], mode: 'xff-first' },
    });
  });
  after(() => h.close());

  const key = (extra: Record<string, unknown>) =>
    mintApiKey(lightweightClaims(APPS.subscribed, Math.floor(h.clock.now() / 1000), extra));
  const call = (apiKey: string, headers: Record<string, string>) =>
    h.request('/pizzashack/1.0.0/menu', { headers: { apikey: apiKey, ...headers } });

  const ipTable: [string, string[], string[]][] = [
    ['192.168.1.2', ['192.168.1.2', '::ffff:192.168.1.2'], ['192.168.1.3', '10.0.0.1']],
    ['2002:eb8::2', ['2002:0eb8:0:0:0:0:0:2', '2002:eb8::2'], ['2002:eb8::3', '192.168.1.2']],
    ['152.12.0.0/13', ['152.8.0.1', '152.15.255.255', '152.12.3.4'], ['152.16.0.1', '152.7.255.255']],
    ['1001:ab8::/14', ['1000::1', '1003:ffff::1', '1001:ab8::99'], ['1004::1', 'fff::1']],
  ];
  for (const [permittedIP, allowed, refused] of ipTable) {
    it(`permittedIP ${permittedIP}`, async () => {
      const k = key({ permittedIP });
      for (const ip of allowed) assert.equal((await call(k, { 'x-forwarded-for': ip })).status, 200, ip);
      for (const ip of refused) {
        const r = await call(k, { 'x-forwarded-for': ip });
        assert.equal(r.status, 403, ip);
        assert.equal(r.body, BODY.restricted);
      }
    });
  }

  it('only plain address spellings are addresses (no octal, hex, short or integer IPv4)', async () => {
    const k = key({ permittedIP: '10.0.0.1' });
    assert.equal((await call(k, { 'x-forwarded-for': '10.0.0.1' })).status, 200);
    for (const ip of [
      '010.0.0.1',
      '10.1',
      '0xa.0.0.1',
      '167772161',
      '10.0.0.1.',
      ' 10.0.0.2',
      'fe80::1%eth0',
    ]) {
      assert.equal((await call(k, { 'x-forwarded-for': ip })).status, 403, ip);
    }
  });

  it('a comma list matches any entry (trimmed)', async () => {
    const k = key({ permittedIP: '10.0.0.1, 152.12.0.0/13 ,2002:eb8::2' });
    for (const ip of ['10.0.0.1', '152.9.1.1', '2002:eb8:0::2']) {
      assert.equal((await call(k, { 'x-forwarded-for': ip })).status, 200, ip);
    }
  });

  const refererTable: [string, string[], string[]][] = [
    [
      'www.example.com/path',
      ['https://www.example.com/path', 'http://www.example.com/path', 'www.example.com/path'],
      ['https://www.example.com/path/x', 'https://wwwXexample.com/path', 'ftp://www.example.com/path'],
    ],
    [
      'sub.example.com/*',
      ['https://sub.example.com/a/b', 'http://sub.example.com/'],
      ['https://other.example.com/a'],
    ],
    [
      '*.example.com/*',
      ['https://a.example.com/x', 'http://b.c.example.com/'],
      ['https://example.org/x', 'https://a.example.co/x'],
    ],
  ];
  for (const [permittedReferer, allowed, refused] of refererTable) {
    it(`permittedReferer ${permittedReferer}`, async () => {
      const k = key({ permittedReferer });
      for (const referer of allowed) assert.equal((await call(k, { referer })).status, 200, referer);
      for (const referer of refused) {
        const r = await call(k, { referer });
        assert.equal(r.status, 403, referer);
        assert.equal(r.body, BODY.restricted);
      }
    });
  }

  // Issue 10: WSO2's `*` → `.*` ran across host and path; each of these was accepted for `*.example.com/*`.
  const bypasses = [
    'https://evil.com/.example.com/',
    'https://evil.com/?x=.example.com/',
    'https://evil.com/#.example.com/',
    'https://user:pw@evil.com/.example.com/',
    'https://www.example.com@evil.com/',
    'https://evil.com%2F.example.com/',
    'https://evil.com%2f.example.com/x',
    'https://evil.com\\.example.com/',
    'https://evil.com/a.example.com/',
    'https://example.com.evil.com/',
    'https://evilexample.com/',
    'https://.example.com/',
    'https://a..example.com/',
    'https://example.com/',
    'javascript://a.example.com/',
    'ftp://a.example.com/',
    'https://a.example.com:8443/',
    'https://a.example.com/ x',
    'https://a.exa\tmple.com/',
    '//a.example.com/',
    '/a.example.com/',
  ];
  it('*.example.com/* refuses every bypass spelling (parsed URL, not a regex)', async () => {
    const k = key({ permittedReferer: '*.example.com/*' });
    assert.equal((await call(k, { referer: 'https://a.example.com/x' })).status, 200);
    for (const referer of bypasses) {
      const r = await h.rawRequest('/pizzashack/1.0.0/menu', [
        ['apikey', k],
        ['Referer', referer],
      ]);
      assert.equal(r.status, 403, referer);
    }
  });

  it('host and scheme compare case-insensitively, the path case-sensitively', async () => {
    const k = key({ permittedReferer: 'www.example.com/app' });
    assert.equal((await call(k, { referer: 'HTTPS://WWW.EXAMPLE.COM/app' })).status, 200);
    assert.equal(
      (await call(k, { referer: 'https://www.example.com/app?q=1' })).status,
      200,
      'query ignored',
    );
    assert.equal((await call(k, { referer: 'https://www.example.com/APP' })).status, 403);
  });

  it('a repeated Referer header is refused even when the first one matches', async () => {
    const k = key({ permittedReferer: 'www.example.com/*' });
    const twice = await h.rawRequest('/pizzashack/1.0.0/menu', [
      ['apikey', k],
      ['Referer', 'https://www.example.com/'],
      ['Referer', 'https://evil.com/'],
    ]);
    assert.equal(twice.status, 403);
  });

  it('a referrer-restricted key without a Referer header is 900908', async () => {
    const r = await call(key({ permittedReferer: 'www.example.com/path' }), {});
    assert.equal(r.status, 403);
    assert.equal(r.body, BODY.restricted);
  });

  it('a passing IP rule does not skip the referrer rule (Portico improvement)', async () => {
    const k = key({ permittedIP: '192.168.1.2', permittedReferer: 'www.example.com/path' });
    const r = await call(k, { 'x-forwarded-for': '192.168.1.2', referer: 'https://evil.example.org/' });
    assert.equal(r.status, 403);
    const ok = await call(k, { 'x-forwarded-for': '192.168.1.2', referer: 'https://www.example.com/path' });
    assert.equal(ok.status, 200);
  });

  it('empty restriction claims mean no restriction', async () => {
    assert.equal((await call(key({ permittedIP: '', permittedReferer: '' }), {})).status, 200);
  });
});
