import { Unzip, UnzipInflate } from 'fflate';
import { RestError } from '../../core/index.js';

/** Bounds on what an uploaded archive may expand to, enforced while inflating (never after). */
export interface ArchiveLimits {
  /** Most entries (files and folders). */
  maxEntries: number;
  /** Most uncompressed bytes of one file. */
  maxEntryBytes: number;
  /** Most uncompressed bytes of all files together. */
  maxTotalBytes: number;
}

/** The files of an apictl project: paths relative to the project folder (`api.yaml`, `Definitions/swagger.yaml`). */
export interface ProjectFiles {
  /** The project folder the archive holds (`PizzaShackAPI-1.0.0`), or '' when the files sit at its root. */
  root: string;
  files: ReadonlyMap<string, Uint8Array>;
}

// Compressed bytes handed to the inflater at a time: deflate expands at most ~1032:1, so one step can never
// produce more than a few MiB before the limits are checked again.
const SLICE = 4096;
const MAX_NAME = 255;

/**
 * Reads an apictl project zip (`<name>-<version>/api.yaml`, ...) without trusting it: entry count, the size of
 * each entry and the total are counted while inflating, so a zip bomb stops at the limit; every name is checked
 * before its data is read (no `..`, `.` or empty segments, no absolute path, backslash, drive letter or control
 * character), a name seen twice is refused, and every file must sit in the one project folder.
 * Faults: 400 ARCHIVE_INVALID, ARCHIVE_UNSAFE_PATH, ARCHIVE_DUPLICATE_ENTRY; 413 ARCHIVE_TOO_LARGE.
 * @example const { root, files } = readProjectArchive(upload, { maxEntries: 100, maxEntryBytes: 1e7, maxTotalBytes: 4e7 });
 */
export function readProjectArchive(zip: Uint8Array, limits: ArchiveLimits): ProjectFiles {
  if (!looksLikeZip(zip)) throw new RestError('ARCHIVE_INVALID', 'The file is not a zip archive');
  const files = new Map<string, Uint8Array>();
  const seen = new Set<string>();
  const pending = new Set<string>();
  let failure: RestError | null = null;
  let entries = 0;
  let total = 0;

  const unzip = new Unzip();
  unzip.register(UnzipInflate);
  unzip.onfile = (file) => {
    if (failure) return;
    entries += 1;
    if (entries > limits.maxEntries) {
      failure = tooLarge(`The archive has more than ${limits.maxEntries} entries`);
      return;
    }
    const problem = unsafeName(file.name);
    if (problem) {
      failure = new RestError('ARCHIVE_UNSAFE_PATH', `Archive entry ${printable(file.name)} ${problem}`);
      return;
    }
    const name = file.name.replace(/\/$/, '');
    if (seen.has(name)) {
      failure = new RestError('ARCHIVE_DUPLICATE_ENTRY', `Archive entry ${name} appears more than once`);
      return;
    }
    seen.add(name);
    const isFolder = file.name.endsWith('/');
    const chunks: Uint8Array[] = [];
    let size = 0;
    pending.add(name);
    file.ondata = (err, data, final) => {
      if (failure) return;
      if (err) {
        failure = invalid();
        return;
      }
      size += data.length;
      total += data.length;
      if (size > limits.maxEntryBytes || total > limits.maxTotalBytes) {
        failure = tooLarge(
          size > limits.maxEntryBytes
            ? `Archive entry ${name} expands past ${limits.maxEntryBytes} bytes`
            : `The archive expands past ${limits.maxTotalBytes} bytes`,
        );
        file.terminate();
        return;
      }
      if (isFolder && size > 0) {
        failure = invalid();
        return;
      }
      chunks.push(data);
      if (final) {
        pending.delete(name);
        if (!isFolder) files.set(name, concat(chunks, size));
      }
    };
    try {
      file.start();
    } catch {
      // fflate refuses a compression method it has no decoder for.
      failure = invalid();
    }
  };

  try {
    for (let at = 0; at < zip.length && !failure; at += SLICE) {
      unzip.push(zip.subarray(at, at + SLICE), at + SLICE >= zip.length);
    }
  } catch {
    failure ??= invalid();
  }
  if (failure) throw failure;
  if (pending.size > 0 || files.size === 0) throw invalid();
  return { root: projectRoot([...files.keys()]), files: stripRoot(files) };
}

/** Why an entry name is unsafe, or null. Names are taken as given: a zip entry name is a path with `/`. */
function unsafeName(raw: string): string | null {
  if (raw.length === 0 || raw.length > MAX_NAME) return `must be 1-${MAX_NAME} characters`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) return 'contains a control character';
  if (raw.includes('\\')) return 'contains a backslash';
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) return 'is an absolute path';
  const segments = raw.replace(/\/$/, '').split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) return 'has an empty, . or .. path segment';
  return null;
}

/** The one top-level folder every file sits in, or '' when the project files are at the archive's root. */
function projectRoot(names: readonly string[]): string {
  if (names.some((n) => !n.includes('/'))) return '';
  const first = (names[0] ?? '').split('/')[0] ?? '';
  if (names.every((n) => n.startsWith(`${first}/`))) return first;
  throw new RestError(
    'PROJECT_INVALID',
    'The archive must hold one project folder (as apictl exports it: <name>-<version>/api.yaml)',
  );
}

function stripRoot(files: Map<string, Uint8Array>): Map<string, Uint8Array> {
  const root = projectRoot([...files.keys()]);
  if (root === '') return files;
  return new Map([...files].map(([k, v]) => [k.slice(root.length + 1), v]));
}

/** A local file header at the start and an end-of-central-directory record near the end. */
function looksLikeZip(b: Uint8Array): boolean {
  if (b.length < 22 || b[0] !== 0x50 || b[1] !== 0x4b || b[2] !== 0x03 || b[3] !== 0x04) return false;
  const from = Math.max(0, b.length - 22 - 0xffff);
  for (let i = b.length - 22; i >= from; i--) {
    if (b[i] === 0x50 && b[i + 1] === 0x4b && b[i + 2] === 0x05 && b[i + 3] === 0x06) return true;
  }
  return false;
}

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]) return chunks[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function invalid(): RestError {
  return new RestError(
    'ARCHIVE_INVALID',
    'The zip archive is corrupt, truncated or uses an unsupported format',
  );
}

function tooLarge(message: string): RestError {
  return new RestError('ARCHIVE_TOO_LARGE', message);
}

function printable(s: string): string {
  return JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
}
