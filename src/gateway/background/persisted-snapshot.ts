import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../../core/index.js';

const MAGIC = 'PORTICO-SNAPSHOT';
const FORMAT = 1;
const HEADER = /^PORTICO-SNAPSHOT (\d+) sha256=([0-9a-f]{64}) length=(\d+) savedAt=(\d+)$/;

/** What {@link readPersistedSnapshot} found. */
export type PersistedSnapshotRead =
  | { readonly status: 'missing' }
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'ok'; readonly snapshot: Snapshot; readonly savedAt: number };

/**
 * Writes the gateway's last-good snapshot atomically: a temp file beside it (mode 0600) is written and fsynced,
 * then renamed over `file`, and the directory is fsynced, so a crash leaves either the old file or the new one,
 * never half of one. The file is one header line (`PORTICO-SNAPSHOT 1 sha256=<hex> length=<bytes>
 * savedAt=<epoch ms>`) and the snapshot JSON; the SHA-256 covers the JSON bytes and is checked on load.
 * @example await writePersistedSnapshot(join(home, 'gateway', 'snapshot.json'), snapshot, Date.now());
 */
export async function writePersistedSnapshot(
  file: string,
  snapshot: Snapshot,
  savedAt: number,
): Promise<void> {
  const body = Buffer.from(JSON.stringify(snapshot), 'utf8');
  const digest = createHash('sha256').update(body).digest('hex');
  const header = `${MAGIC} ${FORMAT} sha256=${digest} length=${body.length} savedAt=${Math.floor(savedAt)}\n`;
  const dir = dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(Buffer.concat([Buffer.from(header, 'utf8'), body]));
    await fh.sync();
  } catch (err) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await rename(tmp, file);
  } catch (err) {
    await unlink(tmp).catch(() => {});
    throw err;
  }
  // The rename is durable only once the directory entry is.
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/**
 * Reads a snapshot written by {@link writePersistedSnapshot}. A file that is truncated, edited, of another format or
 * schema, or whose checksum does not match is `invalid` (with the reason), never thrown: the caller ignores it.
 */
export function readPersistedSnapshot(file: string): PersistedSnapshotRead {
  let raw: Buffer;
  try {
    raw = readFileSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { status: 'missing' };
    return { status: 'invalid', reason: `unreadable: ${(err as Error).message}` };
  }
  const nl = raw.indexOf(0x0a);
  const m = nl < 0 ? null : HEADER.exec(raw.subarray(0, nl).toString('utf8'));
  if (m === null) return { status: 'invalid', reason: 'no valid header line' };
  if (Number(m[1]) !== FORMAT) return { status: 'invalid', reason: `file format ${m[1]} is not ${FORMAT}` };
  const body = raw.subarray(nl + 1);
  if (body.length !== Number(m[3]))
    return { status: 'invalid', reason: `length ${body.length} is not ${m[3]} (truncated?)` };
  if (createHash('sha256').update(body).digest('hex') !== m[2])
    return { status: 'invalid', reason: 'checksum mismatch' };
  let snapshot: Snapshot;
  try {
    snapshot = JSON.parse(body.toString('utf8')) as Snapshot;
  } catch {
    return { status: 'invalid', reason: 'body is not JSON' };
  }
  if (typeof snapshot !== 'object' || snapshot === null || snapshot.schema !== SNAPSHOT_SCHEMA)
    return { status: 'invalid', reason: `snapshot schema is not ${SNAPSHOT_SCHEMA}` };
  if (!Number.isSafeInteger(snapshot.version) || snapshot.version < 0)
    return { status: 'invalid', reason: 'snapshot version is not a non-negative integer' };
  return { status: 'ok', snapshot, savedAt: Number(m[4]) };
}
