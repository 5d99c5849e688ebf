import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { emptySnapshot, type Snapshot } from '../../core/index.js';
import { loadOrCreateGatewayId } from './gateway-id.js';
import { SnapshotReplica } from './snapshot-replica.js';

const NOW = Date.UTC(2026, 0, 1);
const base: Snapshot = {
  ...emptySnapshot(),
  version: 10,
  applications: [
    { id: 1, uuid: 'a1', name: 'One', owner: 'admin', throttlingPolicy: 'Unlimited', attributes: {} },
    { id: 2, uuid: 'a2', name: 'Two', owner: 'admin', throttlingPolicy: 'Unlimited', attributes: {} },
  ],
  subscriptions: [
    { id: 's1', applicationId: 1, apiId: 'api', policy: 'Gold', status: 'UNBLOCKED' },
    { id: 's2', applicationId: 2, apiId: 'api', policy: 'Gold', status: 'UNBLOCKED' },
  ],
  keyMappings: [
    { consumerKey: 'ck1', keyManager: 'Resident Key Manager', applicationId: 1, keyType: 'PRODUCTION' },
  ],
  revokedTokens: [{ jti: 'old', exp: NOW / 1000 - 1 }],
};

test('a batch patches the replica: removals cascade, revocations add, expired revocations go', () => {
  const r = new SnapshotReplica(base);
  r.apply({
    from: 11,
    to: 13,
    deltas: [
      { version: 11, kind: 'application', key: '1', application: null },
      { version: 12, kind: 'revocation', key: 'jti-x', exp: null },
      {
        version: 13,
        kind: 'subscription',
        key: 's2',
        subscription: { id: 's2', applicationId: 2, apiId: 'api', policy: 'Bronze', status: 'BLOCKED' },
        apiId: 'api',
        applicationId: 2,
      },
    ],
  });
  const s = r.toSnapshot(NOW);
  assert.equal(s.version, 13);
  assert.deepEqual(
    s.applications.map((a) => a.id),
    [2],
  );
  assert.deepEqual(s.subscriptions, [
    { id: 's2', applicationId: 2, apiId: 'api', policy: 'Bronze', status: 'BLOCKED' },
  ]);
  assert.deepEqual(s.keyMappings, [], "application 1's key mapping went with it");
  assert.deepEqual(s.revokedTokens, [{ jti: 'jti-x', exp: null }], 'the expired one is pruned');
});

test('deltas at or below the replica version are skipped (a batch overlapping what was applied)', () => {
  const r = new SnapshotReplica(base);
  r.apply({
    from: 9,
    to: 11,
    deltas: [
      { version: 9, kind: 'application', key: '2', application: null },
      { version: 11, kind: 'revocation', key: 'new', exp: null },
    ],
  });
  const s = r.toSnapshot(NOW);
  assert.equal(s.version, 11);
  assert.equal(s.applications.length, 2, 'version 9 is already in the snapshot');
  assert.deepEqual(
    s.revokedTokens.map((t) => t.jti),
    ['new'],
  );
});

test('the gateway id is created once (a UUID in a 0600 file) and a corrupt one is replaced', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'portico-gwid-')), 'gateway', 'gateway-id');
  const logger = pino({ level: 'silent' });
  const id = loadOrCreateGatewayId(file, logger);
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(loadOrCreateGatewayId(file, logger), id, 'stable across starts');
  writeFileSync(file, 'not-a-uuid\n');
  const next = loadOrCreateGatewayId(file, logger);
  assert.notEqual(next, id);
  assert.equal(loadOrCreateGatewayId(file, logger), next);
});
