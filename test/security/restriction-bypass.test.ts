import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { rawHttpRequest } from '../../src/gateway/test-support/raw-http.js';
import { MENU, startAttackTarget, type AttackTarget } from './support/attack-target.js';

/** [Referer, expected status] for a key restricted to `*.example.com/*, www.example.org/app`. */
const REFERERS: [string, number][] = [
  ['https://a.example.com/', 200],
  ['https://a.b.example.com/x/y?z=1', 200],
  ['HTTPS://A.EXAMPLE.COM/PATH', 200],
  ['http://a.example.com/', 200],
  ['https://www.example.org/app', 200],
  ['https://WWW.EXAMPLE.ORG/app', 200],
  ['www.example.org/app', 200],
  // WSO2's regex accepted these (issue 10).
  ['https://evil.com/.example.com/', 403],
  ['https://evil.com/?x=.example.com/', 403],
  ['https://evil.com/#.example.com/', 403],
  ['https://user:pw@evil.com/.example.com/', 403],
  ['https://a.example.com@evil.com/', 403],
  ['https://user@a.example.com/', 403],
  ['https://evil.com%2F.example.com/', 403],
  ['https://evil.com%2f.example.com/', 403],
  ['https://evil.com\\.example.com/', 403],
  ['https://evil.com%5C.example.com/', 403],
  ['https://evil.com%00.example.com/', 403],
  ['https://evil.com%23.example.com/', 403],
  ['https://evil.com%3F.example.com/', 403],
  ['https://example.com.evil.com/', 403],
  ['https://evilexample.com/', 403],
  ['https://example.com/', 403],
  ['https://.example.com/', 403],
  ['https://a..example.com/', 403],
  ['https://a.example.com./', 403],
  ['https://a.example.com:444/', 403],
  ['ftp://a.example.com/', 403],
  ['javascript://a.example.com/%0aalert(1)', 403],
  ['data:text/html,a.example.com', 403],
  ['//a.example.com/', 403],
  ['/a.example.com/', 403],
  ['a.example.com', 200], // scheme-less is read as http:// (curl users copy WSO2's pattern examples)
  ['https://a.exa\tmple.com/', 403],
  ['https://www.example.org/app/x', 403],
  ['https://www.example.org/APP', 403],
  ['https://www.example.org/app%2F..', 403],
  ['https://www.example.org.evil.com/app', 403],
  ['https://xn--www.example.org/app', 403],
  ['', 403],
];

/** [X-Forwarded-For, expected status] for a key restricted to `10.0.0.1, 2001:db8::/32`; 127.0.0.1 is trusted. */
const FORWARDED: [string, number][] = [
  ['10.0.0.1', 200],
  ['::ffff:10.0.0.1', 200],
  ['2001:db8::1', 200],
  ['2001:0db8:0000::0001', 200],
  ['203.0.113.9, 10.0.0.1', 200],
  ['010.0.0.1', 403],
  ['10.1', 403],
  ['0xa.0.0.1', 403],
  ['0x0a000001', 403],
  ['167772161', 403],
  ['10.0.0.1.', 403],
  ['10.0.0.1:80', 403],
  ['[10.0.0.1]', 403],
  ['10.0.0.1/32', 403],
  ['2001:db8::1%25eth0', 403],
  ['2001:db8::1%eth0', 403],
  ['10.0.0.1, 203.0.113.9', 403],
  ['10.0.0.2', 403],
  ['2001:db9::1', 403],
  ['garbage', 403],
];

describe('API-key restriction bypass tables against a real gateway', () => {
  let t: AttackTarget;
  before(async () => {
    t = await startAttackTarget();
  });
  after(() => t.stop());

  it('referrer restrictions match parsed URLs: every bypass spelling is 403, the genuine referrers 200', async () => {
    const key = await t.generateApiKey({ permittedReferer: '*.example.com/*, www.example.org/app' });
    const wrong: string[] = [];
    for (const [referer, expected] of REFERERS) {
      const r = await rawHttpRequest(t.gwPort, MENU, [
        ['apikey', key],
        ...(referer === '' ? [] : [['Referer', referer] as const]),
      ]);
      if (r.status !== expected) wrong.push(`${JSON.stringify(referer)}: ${r.status} (expected ${expected})`);
    }
    const twice = await rawHttpRequest(t.gwPort, MENU, [
      ['apikey', key],
      ['Referer', 'https://a.example.com/'],
      ['Referer', 'https://evil.com/'],
    ]);
    if (twice.status !== 403) wrong.push(`two Referer headers: ${twice.status}`);
    console.log(`# attack suite: referrer table: ${REFERERS.length + 1} cases`);
    assert.deepEqual(wrong, []);
  });

  it('IP restrictions match parsed addresses in their plain spellings only', async () => {
    const key = await t.generateApiKey({ permittedIP: '10.0.0.1, 2001:db8::/32' });
    const wrong: string[] = [];
    for (const [xff, expected] of FORWARDED) {
      const r = await rawHttpRequest(t.gwPort, MENU, [
        ['apikey', key],
        ['X-Forwarded-For', xff],
      ]);
      if (r.status !== expected) wrong.push(`${JSON.stringify(xff)}: ${r.status} (expected ${expected})`);
    }
    // From the trusted proxy itself with no forwarded address, the client is 127.0.0.1: not allowed.
    const direct = await rawHttpRequest(t.gwPort, MENU, [['apikey', key]]);
    if (direct.status !== 403) wrong.push(`no X-Forwarded-For: ${direct.status}`);
    console.log(`# attack suite: IP table: ${FORWARDED.length + 1} cases`);
    assert.deepEqual(wrong, []);
  });

  it('issuing a key refuses patterns the gateway could not match exactly', async () => {
    const bad = [
      'javascript:alert(1)',
      '*',
      '*/*',
      'www.*.com/*',
      'ftp://x.example.com/*',
      'a@example.com/*',
      'example.com/?q',
    ];
    for (const permittedReferer of bad) {
      const r = await t.rest(
        'POST',
        `/api/am/devportal/v3/applications/${await defaultApp(t)}/api-keys/PRODUCTION/generate`,
        {
          additionalProperties: { permittedReferer },
        },
      );
      assert.equal(r.status, 400, permittedReferer);
      assert.equal(r.json().errorCode, 'INVALID_RESTRICTION', permittedReferer);
    }
  });
});

async function defaultApp(t: AttackTarget): Promise<string> {
  const apps = (await t.rest('GET', '/api/am/devportal/v3/applications')).json();
  return apps.list.find((a: { name: string }) => a.name === 'DefaultApplication').applicationId as string;
}
