import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hasValidChecksum, newOpaqueApiKey, OPAQUE_KEY_PATTERN, opaqueKeyHash } from './index.js';

test('opaque API key: <prefix>_<32 base62>_<6 base62 crc32>, unique, checksum verifies offline', () => {
  const keys = new Set<string>();
  for (let i = 0; i < 2000; i++) {
    const k = newOpaqueApiKey('portico');
    assert.match(k, OPAQUE_KEY_PATTERN);
    assert.equal(k.length, 'portico'.length + 1 + 32 + 1 + 6);
    assert.ok(hasValidChecksum(k));
    keys.add(k);
  }
  assert.equal(keys.size, 2000);
  // Fixed width: the checksum is left-padded, so every key of a prefix has one length.
  assert.equal(new Set([...keys].map((k) => k.length)).size, 1);
  assert.match(newOpaqueApiKey('Acme9'), /^Acme9_/);
  for (const bad of ['', '9x', 'a_b', 'x'.repeat(17)]) assert.throws(() => newOpaqueApiKey(bad));
});

test('opaque API key checksum refuses every single-character change, truncation and look-alike', () => {
  const key = newOpaqueApiKey('portico');
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
  const prefixEnd = key.indexOf('_');
  let refused = 0;
  for (let i = prefixEnd + 1; i < key.length; i++) {
    if (key[i] === '_') continue;
    for (const c of alphabet) {
      if (c === key[i]) continue;
      const m = key.slice(0, i) + c + key.slice(i + 1);
      assert.equal(hasValidChecksum(m), false, m);
      refused++;
    }
  }
  assert.equal(refused, 38 * 61);
  for (const bad of [key.slice(0, -1), `${key}0`, key.replace(/_/g, '-'), ` ${key}`, key.toUpperCase(), '']) {
    assert.equal(hasValidChecksum(bad), false, bad);
  }
});

test('opaque key hash: HMAC-SHA-256 base64url, depends on the secret', () => {
  const key = newOpaqueApiKey('portico');
  const a = opaqueKeyHash(Buffer.from('a'.repeat(32)), key);
  assert.match(a, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(opaqueKeyHash(Buffer.from('a'.repeat(32)), key), a);
  assert.notEqual(opaqueKeyHash(Buffer.from('b'.repeat(32)), key), a);
  assert.ok(!a.includes(key.split('_')[1]!));
});
