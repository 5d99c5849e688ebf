import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { testDialects } from '../../../../test/support/dialects.js';
import { createHarness, type Harness } from '../../../../test/support/control-plane-harness.js';
import { selfSignedKey } from '../../../../test/support/self-signed.js';
import { ADM, adminAuth, userAuth } from '../../publisher/test-support/publisher-fixtures.js';
import { trustStoreRoutes } from './index.js';

const LIST = `${ADM}/trust-store/certificates`;
const partner = selfSignedKey('partner', 'partner.example.com');
const other = selfSignedKey('other', 'other.example.com');

const post = (h: Harness, payload: unknown, headers: Record<string, string> = adminAuth) =>
  h.app.inject({ method: 'POST', url: LIST, headers, payload: payload as object });
const codeOf = (r: { json(): { code?: number; errorCode?: string } }) => [r.json().code, r.json().errorCode];

for (const d of await testDialects()) {
  test(`trust store REST on ${d.name}: list, add PEM and base64 DER, get, delete; each change is a truststore delta`, async () => {
    const h = await createHarness(await d.open(), [trustStoreRoutes]);
    try {
      const deltas = h.recordDeltas();
      const first = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.equal(first.statusCode, 200);
      assert.deepEqual(
        first.json().list.map((e: { alias: string }) => e.alias),
        ['gateway_certificate_alias'],
      );
      assert.deepEqual(first.json().warnings, []);

      const added = await post(h, { alias: 'partner', certificate: partner.certificatePem });
      assert.equal(added.statusCode, 201, added.body);
      assert.equal(added.headers.location, `${LIST}/partner`);
      assert.deepEqual(added.json(), {
        alias: 'partner',
        subject: 'CN=partner.example.com',
        issuer: 'CN=partner.example.com',
        serialNumber: partner.certificate.serialNumber,
        notBefore: new Date(partner.certificate.validFrom).toISOString(),
        notAfter: new Date(partner.certificate.validTo).toISOString(),
        sha1Fingerprint: partner.certificate.fingerprint,
        sha256Fingerprint: partner.certificate.fingerprint256,
        certificate: partner.certificate.toString(),
      });
      const der = other.certificate.raw.toString('base64');
      const viaDer = await post(h, { alias: 'Other', certificate: der });
      assert.equal(viaDer.statusCode, 201, viaDer.body);
      assert.equal(viaDer.json().sha256Fingerprint, other.certificate.fingerprint256);

      const one = await h.app.inject({ method: 'GET', url: `${LIST}/OTHER`, headers: adminAuth });
      assert.equal(one.statusCode, 200, 'aliases are case-insensitive');
      assert.equal(one.json().alias, 'Other');
      const list = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.equal(list.json().count, 3);

      const del = await h.app.inject({ method: 'DELETE', url: `${LIST}/partner`, headers: adminAuth });
      assert.equal(del.statusCode, 200, del.body);
      const gone = await h.app.inject({ method: 'GET', url: `${LIST}/partner`, headers: adminAuth });
      assert.equal(gone.statusCode, 404);

      // The seeding delta may be relayed after recording started: look at the last three.
      const trust = (await deltas.all()).flatMap((x) => (x.kind === 'truststore' ? [x] : []));
      assert.deepEqual(
        trust.slice(-3).map((x) => Object.keys(x.trustedCerts).sort()),
        [
          ['gateway_certificate_alias', 'partner'],
          ['Other', 'gateway_certificate_alias', 'partner'],
          ['Other', 'gateway_certificate_alias'],
        ],
      );
      const last = trust.at(-1)!;
      assert.ok(last.kind === 'truststore');
      assert.deepEqual(Object.keys(last.trustedCerts).sort(), ['Other', 'gateway_certificate_alias']);
      assert.equal(
        new X509Certificate(last.trustedCerts.Other!).fingerprint256,
        other.certificate.fingerprint256,
      );
      // A full snapshot says the same.
      const snap = await h.ctx.snapshots.rebuild();
      assert.deepEqual(Object.keys(snap.trustedCerts).sort(), ['Other', 'gateway_certificate_alias']);
    } finally {
      await h.close();
    }
  });

  test(`trust store REST on ${d.name}: bad input is a clear 4xx, nothing written, no private material echoed`, async () => {
    const h = await createHarness(await d.open(), [trustStoreRoutes]);
    try {
      const deltas = h.recordDeltas();
      const before = await h.ctx.feed.committedHead();
      const keyPem = partner.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
      const keyBody = keyPem.split('\n')[1]!;
      const cases: [string, unknown, number, number, string][] = [
        ['not a cert', { alias: 'x', certificate: 'hello world' }, 400, 900955, 'INVALID_CERTIFICATE'],
        [
          'garbage PEM',
          { alias: 'x', certificate: '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' },
          400,
          900955,
          'INVALID_CERTIFICATE',
        ],
        ['a private key', { alias: 'x', certificate: keyPem }, 400, 900955, 'INVALID_CERTIFICATE'],
        [
          'key + cert',
          { alias: 'x', certificate: partner.certificatePem + keyPem },
          400,
          900955,
          'INVALID_CERTIFICATE',
        ],
        [
          'two certs',
          { alias: 'x', certificate: partner.certificatePem + other.certificatePem },
          400,
          900955,
          'INVALID_CERTIFICATE',
        ],
        [
          'blank alias',
          { alias: '   ', certificate: partner.certificatePem },
          400,
          900956,
          'INVALID_CERTIFICATE_ALIAS',
        ],
        [
          'two-line alias',
          { alias: 'a\nb', certificate: partner.certificatePem },
          400,
          909001,
          'VALIDATION_FAILED',
        ],
        ['missing certificate', { alias: 'x' }, 400, 909001, 'VALIDATION_FAILED'],
        [
          'extra field',
          { alias: 'x', certificate: partner.certificatePem, password: 'p' },
          400,
          909001,
          'VALIDATION_FAILED',
        ],
        [
          'duplicate alias',
          { alias: 'GATEWAY_CERTIFICATE_ALIAS', certificate: partner.certificatePem },
          409,
          900958,
          'CERTIFICATE_ALIAS_EXISTS',
        ],
      ];
      for (const [what, body, status, code, errorCode] of cases) {
        const r = await post(h, body);
        assert.equal(r.statusCode, status, `${what}: ${r.body}`);
        assert.deepEqual(codeOf(r), [code, errorCode], what);
        assert.ok(!r.body.includes(keyBody), `${what}: no key material in the answer`);
      }
      const unknown = await h.app.inject({ method: 'DELETE', url: `${LIST}/nope`, headers: adminAuth });
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(codeOf(unknown), [909204, 'CERTIFICATE_NOT_FOUND']);
      const unknownGet = await h.app.inject({ method: 'GET', url: `${LIST}/nope`, headers: adminAuth });
      assert.deepEqual(codeOf(unknownGet), [909204, 'CERTIFICATE_NOT_FOUND']);

      const dev = await userAuth(h, 'dev', ['subscriber']);
      assert.equal((await post(h, { alias: 'x', certificate: partner.certificatePem }, dev)).statusCode, 403);
      assert.equal((await h.app.inject({ method: 'GET', url: LIST, headers: dev })).statusCode, 403);
      assert.equal(
        (await h.app.inject({ method: 'DELETE', url: `${LIST}/gateway_certificate_alias`, headers: dev }))
          .statusCode,
        403,
      );
      assert.equal((await h.app.inject({ method: 'GET', url: LIST })).statusCode, 401);

      const head = await h.ctx.feed.committedHead();
      assert.deepEqual(
        (await deltas.all()).filter((x) => x.kind === 'truststore' && x.version > before),
        [],
        'nothing written',
      );
      assert.equal(head, before, 'no change recorded');
      assert.deepEqual(Object.keys(h.ctx.trust.all()), ['gateway_certificate_alias']);
    } finally {
      await h.close();
    }
  });

  test(`trust store REST on ${d.name}: removing the API-key signing alias warns (list, /health), restoring clears it`, async () => {
    const h = await createHarness(await d.open(), [trustStoreRoutes]);
    try {
      const health = async () => (await h.app.inject({ method: 'GET', url: '/health' })).json();
      assert.deepEqual((await health()).warnings, []);
      const del = await h.app.inject({
        method: 'DELETE',
        url: `${LIST}/gateway_certificate_alias`,
        headers: adminAuth,
      });
      assert.equal(del.statusCode, 200);
      const warned = await health();
      assert.equal(warned.status, 'UP');
      assert.equal(warned.warnings.length, 1);
      assert.match(
        warned.warnings[0],
        /API-key signing alias "gateway_certificate_alias" is not in the trust store/,
      );
      const list = await h.app.inject({ method: 'GET', url: LIST, headers: adminAuth });
      assert.deepEqual(list.json().warnings, warned.warnings);

      // Another certificate under the signing alias is just as wrong.
      await post(h, { alias: 'gateway_certificate_alias', certificate: partner.certificatePem });
      assert.match((await health()).warnings[0], /another certificate under the API-key signing alias/);
      await h.app.inject({ method: 'DELETE', url: `${LIST}/gateway_certificate_alias`, headers: adminAuth });

      const back = await post(h, {
        alias: 'gateway_certificate_alias',
        certificate: h.primaryKey.certificatePem,
      });
      assert.equal(back.statusCode, 201, back.body);
      assert.deepEqual((await health()).warnings, []);
    } finally {
      await h.close();
    }
  });
}
