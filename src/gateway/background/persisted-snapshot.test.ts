import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emptySnapshot, type Snapshot } from '../../core/index.js';
import { readPersistedSnapshot, writePersistedSnapshot } from './persisted-snapshot.js';

const snapshot = (version: number): Snapshot => ({
  ...emptySnapshot(),
  version,
  createdAt: 1_700_000_000_000,
  revokedTokens: [{ jti: `jti-${version}`, exp: null }],
});

const fileIn = () => join(mkdtempSync(join(tmpdir(), 'portico-persist-')), 'gateway', 'snapshot.json');

test('a written snapshot reads back whole, with the time it was saved, in a file of mode 0600', async () => {
  const file = fileIn();
  await writePersistedSnapshot(file, snapshot(7), 1_800_000_000_123);
  const read = readPersistedSnapshot(file);
  assert.deepEqual(read, { status: 'ok', snapshot: snapshot(7), savedAt: 1_800_000_000_123 });
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.equal(statSync(join(file, '..')).mode & 0o777, 0o700);
  assert.match(
    readFileSync(file, 'utf8').split('\n')[0]!,
    /^PORTICO-SNAPSHOT 1 sha256=[0-9a-f]{64} length=\d+/,
  );
});

test('no file is "missing", not an error', () => {
  assert.deepEqual(readPersistedSnapshot(fileIn()), { status: 'missing' });
});

test('a body changed after writing fails the checksum and is ignored', async () => {
  const file = fileIn();
  await writePersistedSnapshot(file, snapshot(3), 1);
  const text = readFileSync(file, 'utf8');
  // Same length, one revoked jti edited away: only the checksum can tell.
  writeFileSync(file, text.replace('"jti-3"', '"jti-4"'));
  assert.deepEqual(readPersistedSnapshot(file), { status: 'invalid', reason: 'checksum mismatch' });
});

test('a wrong checksum in the header is ignored', async () => {
  const file = fileIn();
  await writePersistedSnapshot(file, snapshot(3), 1);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.replace(/sha256=[0-9a-f]{64}/, `sha256=${'0'.repeat(64)}`));
  assert.deepEqual(readPersistedSnapshot(file), { status: 'invalid', reason: 'checksum mismatch' });
});

test('a truncated file, a file without the header and a foreign schema are ignored with a reason', async () => {
  const file = fileIn();
  await writePersistedSnapshot(file, snapshot(3), 1);
  const text = readFileSync(file, 'utf8');
  writeFileSync(file, text.slice(0, text.length - 10));
  assert.match((readPersistedSnapshot(file) as { reason: string }).reason, /^length \d+ is not \d+/);
  writeFileSync(file, JSON.stringify(snapshot(3)));
  assert.deepEqual(readPersistedSnapshot(file), { status: 'invalid', reason: 'no valid header line' });
  writeFileSync(file, '');
  assert.deepEqual(readPersistedSnapshot(file), { status: 'invalid', reason: 'no valid header line' });
  await writePersistedSnapshot(file, { ...snapshot(3), schema: 2 } as unknown as Snapshot, 1);
  assert.deepEqual(readPersistedSnapshot(file), { status: 'invalid', reason: 'snapshot schema is not 1' });
});

test('a write replaces the file by rename: a reader of the old file still sees all of the old one', async () => {
  const file = fileIn();
  await writePersistedSnapshot(file, snapshot(1), 1);
  const before = readFileSync(file);
  const fd = openSync(file, 'r');
  await writePersistedSnapshot(file, snapshot(2), 2);
  const old = Buffer.alloc(before.length + 100);
  const n = readSync(fd, old, 0, old.length, 0);
  assert.deepEqual(old.subarray(0, n), before, 'an in-place rewrite would have changed the open file');
  assert.equal((readPersistedSnapshot(file) as { snapshot: Snapshot }).snapshot.version, 2);
  assert.deepEqual(readdirSync(join(file, '..')), ['snapshot.json'], 'no temp file is left behind');
});

test('a failed write leaves no temp file and throws', async () => {
  const file = fileIn();
  mkdirSync(join(file, 'x'), { recursive: true }); // a non-empty directory where the file should go
  await assert.rejects(writePersistedSnapshot(file, snapshot(1), 1));
  assert.deepEqual(readdirSync(join(file, '..')), ['snapshot.json']);
  assert.ok(statSync(file).isDirectory());
});
