/**
 * First use of an opaque API key at the gateway verifier (goal ≤ 50 µs): `verifyOpaqueApiKey` on a live index
 * holding `KEYS` opaque keys, each key presented once (the cache-miss path: checksum, HMAC-SHA-256, hash lookup,
 * revocation/expiry/grace checks, restrictions compiled). Keys are generated before timing starts.
 *
 * Run: `npx tsx bench/opaque-key-verify.ts [keys]` (default 100000). Prints JSON with the median and p99 of
 * batches of 1000 first uses, in µs per key.
 */
import pino from 'pino';
import { emptySnapshot, type SnapshotApiKey } from '../src/core/index.js';
import { newOpaqueApiKey, opaqueKeyHash } from '../src/crypto/index.js';
import { verifyOpaqueApiKey } from '../src/gateway/handlers/api-key/verify-opaque-api-key.js';
import { LiveIndex } from '../src/gateway/snapshot/live-index.js';

const KEYS = Number(process.argv[2] ?? 100_000);
const BATCH = 1000;
const secret = Buffer.from('bench-api-key-hash-secret-0123456789abcdef');
const now = Date.now();

const keys = Array.from({ length: KEYS }, () => newOpaqueApiKey('portico'));
const states: SnapshotApiKey[] = keys.map((k, i) => ({
  jti: `jti-${i}`,
  format: 'opaque',
  hash: opaqueKeyHash(secret, k),
  applicationId: 1 + (i % 1000),
  keyType: 'PRODUCTION',
  subject: 'bench',
  permittedIP: i % 10 === 0 ? '10.0.0.0/8,127.0.0.1' : null,
  permittedReferer: null,
  expiresAt: now + 3_600_000,
  graceExpiresAt: null,
}));
const index = new LiveIndex(
  { ...emptySnapshot(), apiKeys: states },
  { buildPipeline: () => [], logger: pino({ level: 'silent' }), clockSkewSeconds: 300 },
  now,
);

// Warm-up on keys that are not counted (JIT), then each remaining key exactly once.
const warm = Math.min(5000, Math.floor(KEYS / 10));
for (const k of keys.slice(0, warm)) verifyOpaqueApiKey(k, now, index, secret);
const perKey: number[] = [];
for (let i = warm; i + BATCH <= KEYS; i += BATCH) {
  const t = process.hrtime.bigint();
  for (let j = i; j < i + BATCH; j++) {
    const r = verifyOpaqueApiKey(keys[j]!, now, index, secret);
    if ('code' in r) throw new Error('opaque-key-verify: a key was refused');
  }
  perKey.push(Number(process.hrtime.bigint() - t) / 1000 / BATCH);
}
perKey.sort((a, b) => a - b);
const at = (q: number) => perKey[Math.min(perKey.length - 1, Math.floor(perKey.length * q))]!;
console.log(
  JSON.stringify({
    keysInIndex: KEYS,
    batches: perKey.length,
    firstUseMedianUs: Number(at(0.5).toFixed(2)),
    firstUseP99Us: Number(at(0.99).toFixed(2)),
    node: process.version,
    loadavg: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))),
  }),
);
