import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptySnapshot, type SnapshotAccessToken, type SnapshotApiKey } from '../../core/index.js';
import { SnapshotReplica } from './snapshot-replica.js';

const NOW = Date.UTC(2026, 0, 1);
const token = (id: string, expiresAt: number | null): SnapshotAccessToken => ({
  id,
  hash: `hash-${id}`,
  keyManager: 'Resident Key Manager',
  consumerKey: 'ck1',
  subject: 'alice',
  aut: 'APPLICATION',
  scopes: ['default'],
  issuedAt: NOW / 1000 - 60,
  expiresAt,
});
const key = (jti: string): SnapshotApiKey => ({
  jti,
  format: 'opaque',
  hash: `khash-${jti}`,
  applicationId: 1,
  keyType: 'PRODUCTION',
  subject: 'alice',
  permittedIP: null,
  permittedReferer: null,
  expiresAt: null,
  graceExpiresAt: null,
});

test('the replica (what a remote gateway persists and hands on) keeps opaque access tokens and API keys', () => {
  const r = new SnapshotReplica({
    ...emptySnapshot(),
    version: 5,
    apiKeys: [key('k1')],
    accessTokens: [token('t1', NOW + 60_000), token('t-old', NOW - 1)],
  });
  r.apply({
    from: 6,
    to: 9,
    deltas: [
      { version: 6, kind: 'accesstoken', key: 't2', token: token('t2', null) },
      { version: 7, kind: 'accesstoken', key: 't1', token: null },
      { version: 8, kind: 'apikey', key: 'k2', apiKey: key('k2') },
      { version: 9, kind: 'apikey', key: 'k1', apiKey: null },
    ],
  });
  const s = r.toSnapshot(NOW);
  assert.equal(s.version, 9);
  // t1 revoked, t-old expired: only the never-expiring t2 stays.
  assert.deepEqual(
    s.accessTokens?.map((t) => t.id),
    ['t2'],
  );
  assert.deepEqual(
    s.apiKeys?.map((k) => k.jti),
    ['k2'],
  );
});
