import assert from 'node:assert/strict';
import { test } from 'node:test';
import pino from 'pino';
import { emptySnapshot, gatewayFaults, type SnapshotApiKey } from '../../../core/index.js';
import { newOpaqueApiKey, opaqueKeyHash } from '../../../crypto/index.js';
import { LiveIndex } from '../../snapshot/live-index.js';
import { verifyOpaqueApiKey } from './verify-opaque-api-key.js';

const SECRET = Buffer.from('gateway-test-secret-0123456789abcdef');
const NOW = Date.UTC(2026, 5, 1);

function stateOf(key: string, over: Partial<SnapshotApiKey> = {}): SnapshotApiKey {
  return {
    jti: `jti-${key.slice(-6)}`,
    format: 'opaque',
    hash: opaqueKeyHash(SECRET, key),
    applicationId: 1,
    keyType: 'PRODUCTION',
    subject: 'alice',
    permittedIP: null,
    permittedReferer: null,
    expiresAt: null,
    graceExpiresAt: null,
    ...over,
  };
}

/** A real live index over `keys`, whose hash map counts its lookups. */
function indexOf(keys: SnapshotApiKey[]) {
  const index = new LiveIndex(
    { ...emptySnapshot(), apiKeys: keys },
    { buildPipeline: () => [], logger: pino({ level: 'silent' }), clockSkewSeconds: 300 },
    NOW,
  );
  let lookups = 0;
  const get = index.opaqueApiKeys.get.bind(index.opaqueApiKeys);
  index.opaqueApiKeys.get = (k: string) => {
    lookups++;
    return get(k);
  };
  return { index, lookups: () => lookups };
}

test('opaque key verifier: a wrong checksum is refused before any lookup; a good one is one lookup', () => {
  const key = newOpaqueApiKey('portico');
  const { index, lookups } = indexOf([stateOf(key)]);
  const last = key.at(-1) === 'A' ? 'B' : 'A';
  for (const bad of [
    key.slice(0, -1) + last,
    key.slice(0, -2),
    `${key.split('_')[0]}_${'x'.repeat(32)}_000000`,
  ]) {
    assert.deepEqual(
      verifyOpaqueApiKey(bad, NOW, index, SECRET),
      gatewayFaults.invalidCredentials(undefined, 'malformed'),
    );
  }
  assert.equal(lookups(), 0, 'no lookup for a wrong checksum');
  const ok = verifyOpaqueApiKey(key, NOW, index, SECRET);
  assert.ok(!('code' in ok));
  assert.equal(ok.key.jti, stateOf(key).jti);
  assert.equal(ok.key.format, 'opaque');
  assert.equal(ok.key.applicationId, 1);
  assert.equal(lookups(), 1);
});

test('opaque key verifier: unknown, revoked, expired, past grace and no secret are 900901', () => {
  // One body on the wire for all; the reason only feeds the metrics.
  const invalid = gatewayFaults.invalidCredentialsByReason();
  const unknown = newOpaqueApiKey('portico');
  const expired = newOpaqueApiKey('portico');
  const rotating = newOpaqueApiKey('portico');
  const restricted = newOpaqueApiKey('portico');
  const { index } = indexOf([
    stateOf(expired, { expiresAt: NOW }),
    stateOf(rotating, { graceExpiresAt: NOW + 60_000 }),
    stateOf(restricted, { permittedIP: '10.0.0.0/8', expiresAt: NOW + 1000 }),
  ]);
  assert.deepEqual(verifyOpaqueApiKey(unknown, NOW, index, SECRET), invalid.unknown_key);
  assert.deepEqual(verifyOpaqueApiKey(expired, NOW, index, SECRET), invalid.expired);
  const inGrace = verifyOpaqueApiKey(rotating, NOW + 59_999, index, SECRET);
  assert.ok(!('code' in inGrace));
  assert.equal(inGrace.notAfterMs, NOW + 60_000, 'cached no longer than the grace');
  assert.deepEqual(verifyOpaqueApiKey(rotating, NOW + 60_000, index, SECRET), invalid.expired);
  const r = verifyOpaqueApiKey(restricted, NOW, index, SECRET);
  assert.ok(!('code' in r) && r.key.ipRule !== null && r.notAfterMs === NOW + 1000);
  assert.deepEqual(verifyOpaqueApiKey(restricted, NOW, index, undefined), invalid.unknown_key);
  assert.deepEqual(
    verifyOpaqueApiKey(restricted, NOW, index, Buffer.from('another-secret')),
    invalid.unknown_key,
  );
  index.revocations.add(stateOf(restricted).jti, null);
  assert.deepEqual(verifyOpaqueApiKey(restricted, NOW, index, SECRET), invalid.revoked);
});

test('live index: apikey deltas add, replace and drop opaque keys by hash', () => {
  const key = newOpaqueApiKey('portico');
  const { index } = indexOf([]);
  const s = stateOf(key);
  index.apply({ from: 1, to: 1, deltas: [{ version: 1, kind: 'apikey', key: s.jti, apiKey: s }] }, NOW);
  assert.equal(index.opaqueApiKeys.get(s.hash!), s);
  const rotating = { ...s, graceExpiresAt: NOW + 1 };
  index.apply(
    { from: 2, to: 2, deltas: [{ version: 2, kind: 'apikey', key: s.jti, apiKey: rotating }] },
    NOW,
  );
  assert.equal(index.apiKeys.get(s.jti), rotating);
  assert.equal(index.opaqueApiKeys.get(s.hash!), rotating);
  index.apply({ from: 3, to: 3, deltas: [{ version: 3, kind: 'apikey', key: s.jti, apiKey: null }] }, NOW);
  assert.equal(index.apiKeys.size, 0);
  assert.equal(index.opaqueApiKeys.size, 0);
});
