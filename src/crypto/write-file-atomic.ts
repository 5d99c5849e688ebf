import { randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `file` atomically: a temp file in the same directory (mode 0600), fsync, then rename over
 * the target. A crash leaves either the old file or the new one, never half of one.
 */
export async function writeFileAtomic(file: string, data: Buffer | string): Promise<void> {
  const tmp = join(dirname(file), `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.writeFile(data);
    await fh.sync();
    await fh.close();
    // `open` applies the umask; make sure the secret stays owner-only whatever the umask is.
    await chmod(tmp, 0o600);
    await rename(tmp, file);
  } catch (err) {
    await fh.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
