// Whether a build's inputs changed since its last successful run: a fingerprint of every input file's path, size
// and modification time (so an edit, a new file and a deleted file all count), kept next to the build's output.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const SKIP = new Set(['node_modules', 'dist', '.git']);

/** Fingerprint of the files under `paths` (files or folders; missing ones count as absent). */
export function fingerprint(root, paths) {
  const hash = createHash('sha256');
  const visit = (p) => {
    if (!existsSync(p)) return hash.update(`absent ${relative(root, p)}\n`);
    const st = statSync(p);
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!SKIP.has(name)) visit(join(p, name));
      return;
    }
    hash.update(`${relative(root, p)} ${st.size} ${st.mtimeMs}\n`);
  };
  for (const p of paths) visit(join(root, p));
  return hash.digest('hex');
}

/** True when `stampFile` holds `print` and the output `outDir` exists. */
export function upToDate(stampFile, print, outDir) {
  return existsSync(outDir) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === print;
}

export function recordBuild(stampFile, print) {
  writeFileSync(stampFile, `${print}\n`);
}
