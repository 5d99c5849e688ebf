import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { crc32 } from 'node:zlib';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { testDialects } from '../../../test/support/dialects.js';
import { insertApplication } from '../devportal/api-keys/test-support/api-key-fixtures.js';
import { hasValidChecksum, newOpaqueApiKey } from '../../crypto/index.js';
import { issueKey } from './test-support/leak-report-fixtures.js';

const DOC = readFileSync(new URL('../../../docs/secret-scanning.md', import.meta.url), 'utf8');

/** The first fenced block after `<!-- doc-test: name -->` in docs/secret-scanning.md. */
function block(name: string): string {
  const at = DOC.indexOf(`<!-- doc-test: ${name} -->`);
  assert.ok(at >= 0, `docs/secret-scanning.md has a doc-test block ${name}`);
  const m = /```[a-z]*\n([\s\S]*?)\n```/.exec(DOC.slice(at));
  assert.ok(m, `a fenced block follows ${name}`);
  return m[1]!;
}

/** The documented regex, anchored to match a whole token (a scanner finds it inside text; here it is alone). */
function documented(name: string, prefix = ''): RegExp {
  return new RegExp(`^(?:${block(name).trim().replace('<prefix>', prefix)})$`);
}

/** The documented checksum rule, written from the page (steps 1–4), not from the implementation. */
function documentedChecksum(key: string): boolean {
  const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const cut = key.lastIndexOf('_');
  let n = crc32(Buffer.from(key.slice(0, cut), 'utf8')) >>> 0;
  let s = '';
  for (let i = 0; i < 6; i++) {
    s = B62[n % 62]! + s;
    n = Math.floor(n / 62);
  }
  return s === key.slice(cut + 1);
}

test('docs/secret-scanning.md: the worked example computes as written', () => {
  const lines = Object.fromEntries(
    block('example')
      .split('\n')
      .map((l) => l.split('=').map((x) => x.trim()) as [string, string]),
  );
  const body = lines.body!;
  assert.ok(lines.key!.startsWith(`${body}_`));
  const crc = crc32(body) >>> 0;
  assert.equal(lines.crc32, `${crc} (0x${crc.toString(16)})`);
  const digits = lines.digits!.split(/\s+/).slice(0, 6).map(Number);
  assert.equal(
    digits.reduce((acc, d) => acc * 62 + d, 0),
    crc,
  );
  assert.equal(lines.key, `${body}_${lines.checksum}`);
  assert.ok(hasValidChecksum(lines.key!), 'the implementation agrees');
  assert.ok(documentedChecksum(lines.key!));
  assert.match(lines.key!, documented('opaque-regex', 'portico'));
});

test('docs/secret-scanning.md: the documented opaque patterns and checksum rule hold for generated keys and refuse look-alikes', () => {
  for (const prefix of ['portico', 'acme7', 'P', 'AbcdefghijklmnoP']) {
    const mine = documented('opaque-regex', prefix);
    const any = documented('opaque-regex-any-prefix');
    for (let i = 0; i < 300; i++) {
      const key = newOpaqueApiKey(prefix);
      assert.match(key, mine);
      assert.match(key, any);
      assert.ok(documentedChecksum(key), key);
      const last = key.at(-1) === '0' ? '1' : '0';
      const typo = key.slice(0, -1) + last;
      assert.equal(documentedChecksum(typo), false, 'a changed character fails the documented checksum');
      assert.equal(hasValidChecksum(typo), false);
    }
    assert.doesNotMatch(newOpaqueApiKey(prefix === 'portico' ? 'acme7' : 'portico'), mine);
  }
});

test('docs/secret-scanning.md: the documented JWT API-key pattern and claims match keys Portico issues', async () => {
  const [sqlite] = await testDialects();
  const h = await createHarness(await sqlite!.open(), [], {
    toml: '[apim.key_manager]\nenable_lightweight_apikey_generation = false\n',
  });
  try {
    const jwtPattern = documented('jwt-regex');
    const app = await insertApplication(h.store, 'alice', 'Pizza');
    for (let i = 0; i < 5; i++) {
      const { apikey, jti } = await issueKey(h, app.id, 'alice', 'jwt');
      assert.match(apikey, jwtPattern);
      const [head, body] = apikey
        .split('.')
        .slice(0, 2)
        .map((s) => JSON.parse(Buffer.from(s, 'base64url').toString()));
      assert.deepEqual(Object.keys(head), ['x5t', 'kid', 'typ', 'alg']);
      assert.equal(head.typ, 'JWT');
      assert.equal(head.alg, 'RS256');
      assert.equal(head.kid, 'gateway_certificate_alias');
      assert.equal(Object.keys(body)[0], 'sub');
      assert.equal(body.token_type, 'apiKey');
      assert.equal(body.jti, jti);
      assert.match(body.sub, /@carbon\.super$/);
      assert.equal(body.keytype, 'PRODUCTION');
      assert.equal(typeof body.application.uuid, 'string');
      assert.equal(body.iss, h.ctx.urls.issuer);
    }
    const opaque = await issueKey(h, app.id, 'alice', 'opaque');
    assert.doesNotMatch(opaque.apikey, jwtPattern);
  } finally {
    await h.close();
  }
});
