import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { leakReporterKeys } from '../../src/crypto/index.js';
import {
  GITHUB_REPORTER,
  issueKey,
  postReport,
  reportBody,
  reporterKey,
  signBody,
} from '../../src/control-plane/leak-reports/test-support/leak-report-fixtures.js';
import {
  leakReportHarness,
  MENU,
  subscribedGatewayStack,
} from '../../src/control-plane/leak-reports/test-support/leak-report-harness.js';
import { testDialects } from '../support/dialects.js';
import { rawDb } from '../support/raw-db.js';

const github = GITHUB_REPORTER;
const ID = github.id;
const other = reporterKey('github-test-key-2');
const stranger = reporterKey(ID); // same id, a key nobody configured
const p384 = reporterKey(ID, 'secp384r1');

/** The DER signature with its last byte flipped (still valid base64, no longer a valid signature). */
function flipped(sig: string): string {
  const der = Buffer.from(sig, 'base64');
  der[der.length - 1] = der[der.length - 1]! ^ 0x01;
  return der.toString('base64');
}

/** Every way to get the signature of a leak report wrong; each must be 401 with nothing revoked. */
/** The base64url spelling of a base64 string (`+` → `-`, `/` → `_`, no padding). */
const base64url = (b64: string) => b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

function attacks(body: string): [string, string | Buffer, Record<string, string>][] {
  const good = signBody(github, body);
  const other_body = reportBody(['portico_somethingElse']);
  const id = { 'github-public-key-identifier': ID };
  const sig = (s: string) => ({ ...id, 'github-public-key-signature': s });
  return [
    ['unsigned', body, {}],
    ['identifier only', body, id],
    ['signature only', body, { 'github-public-key-signature': good }],
    ['unknown key id', body, { 'github-public-key-identifier': 'nope', 'github-public-key-signature': good }],
    [
      'key id of another configured key',
      body,
      { 'github-public-key-identifier': other.id, 'github-public-key-signature': good },
    ],
    [
      'id differs in case',
      body,
      { 'github-public-key-identifier': ID.toUpperCase(), 'github-public-key-signature': good },
    ],
    ['signed by an unconfigured key under the id', body, sig(signBody(stranger, body))],
    ['signed with a P-384 key under the id', body, sig(signBody(p384, body))],
    ['signature over a different body', body, sig(signBody(github, other_body))],
    ['body with a byte appended', `${body} `, sig(good)],
    ['body with a byte changed', body.replace('content', 'Content'), sig(good)],
    ['body truncated', body.slice(0, -1), sig(good)],
    ['body re-serialized (whitespace)', JSON.stringify(JSON.parse(body), null, 1), sig(good)],
    ['signature bit flipped', body, sig(flipped(good))],
    ['signature truncated', body, sig(good.slice(0, -4))],
    ['signature doubled', body, sig(good + good)],
    // Only when base64url spells it differently: a signature without `+`, `/` or padding is the same string.
    ...(base64url(good) === good
      ? []
      : [['signature in base64url', body, sig(base64url(good))] as [string, string, Record<string, string>]]),
    ['signature unpadded', body, sig(good.endsWith('=') ? good.replace(/=+$/, '') : good.slice(0, -1))],
    ['signature with extra padding', body, sig(`${good}==`)],
    ['signature with whitespace', body, sig(` ${good.slice(0, 10)} ${good.slice(10)}`)],
    ['signature as hex', body, sig(Buffer.from(good, 'base64').toString('hex'))],
    ['empty signature', body, sig('')],
    ['signature of zeros', body, sig(Buffer.alloc(70).toString('base64'))],
    [
      'raw r||s instead of DER',
      body,
      sig(Buffer.from(signBody(github, body), 'base64').subarray(-64).toString('base64')),
    ],
    ['two signatures in one header', body, sig(`${good}, ${good}`)],
    ['huge signature', body, sig('A'.repeat(100_000))],
  ];
}

test('leak reporter keys: only EC P-256 public keys with unique ids are accepted at start', () => {
  assert.equal(leakReporterKeys([{ id: 'a', pem: github.publicPem }]).length, 1);
  assert.throws(() => leakReporterKeys([{ id: 'a', pem: p384.publicPem }]), /key a is not an EC P-256/);
  assert.throws(() => leakReporterKeys([{ id: 'a', pem: 'junk' }]), /key a is not a PEM public key/);
  assert.throws(
    () =>
      leakReporterKeys([
        { id: 'a', pem: github.publicPem },
        { id: 'a', pem: other.publicPem },
      ]),
    /given twice/,
  );
});

for (const d of await testDialects()) {
  test(`leak report signature attacks on ${d.name}: every tampered report is 401, nothing revoked or recorded, the key keeps working`, async () => {
    const h = await leakReportHarness(await d.open(), { keys: [github, other] });
    const { s, app, settle } = await subscribedGatewayStack(h);
    try {
      const opaque = await issueKey(h, app.id, 'alice', 'opaque');
      const jwt = await issueKey(h, app.id, 'alice', 'jwt');
      await settle(opaque.apikey, 200);
      await h.recordDeltas().all();
      const deltas = h.recordDeltas();
      const body = reportBody([opaque.apikey, jwt.apikey]);

      const wrong: string[] = [];
      for (const [what, payload, headers] of attacks(body)) {
        const res = await postReport(h, payload, headers);
        if (res.statusCode !== 401 || res.json().errorCode !== 'LEAK_REPORT_UNAUTHENTICATED')
          wrong.push(`${what}: ${res.statusCode} ${res.body.slice(0, 120)}`);
        else if (res.body.includes(opaque.apikey) || res.body.includes(jwt.apikey))
          wrong.push(`${what}: the refusal repeats a token`);
      }
      // A bodiless POST with the headers of a signed report is refused the same way.
      const bodiless = await h.app.inject({
        method: 'POST',
        url: '/api/portico/v1/leak-reports',
        headers: {
          'github-public-key-identifier': ID,
          'github-public-key-signature': signBody(github, body),
        },
      });
      if (bodiless.statusCode !== 401) wrong.push(`bodiless: ${bodiless.statusCode}`);
      assert.deepEqual(wrong, []);

      await sleep(200);
      assert.equal((await s.call(MENU, { apikey: opaque.apikey })).status, 200, 'opaque key still works');
      assert.equal((await s.call(MENU, { apikey: jwt.apikey })).status, 200, 'JWT key still works');
      assert.deepEqual(await rawDb(h.store).selectFrom('api_key_leaks').selectAll().execute(), []);
      assert.deepEqual(await rawDb(h.store).selectFrom('revoked_tokens').selectAll().execute(), []);
      assert.deepEqual(await deltas.all(), []);

      // The control: the same body, rightly signed (by either configured key), revokes both.
      const res = await postReport(h, body, {
        'github-public-key-identifier': other.id,
        'github-public-key-signature': signBody(other, body),
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().map((x: { label: string }) => x.label),
        ['true_positive', 'true_positive'],
      );
    } finally {
      await s.close();
      await h.close();
    }
  });
}
