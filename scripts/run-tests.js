// Runs node:test files through tsx. Node 20's test runner does not expand globs, so we find the files here.
// Usage: node scripts/run-tests.js [--concurrency=N] <dir-or-file>...   (directories are searched for *.test.ts)
// Files run one at a time unless --concurrency says otherwise: the end-to-end suites start whole Portico homes on
// fixed port offsets, so only suites that isolate themselves (temp files, a database per store, random Redis
// namespaces, port 0) may run side by side.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function collect(path, out) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return;
  if (st.isFile()) {
    if (path.endsWith('.test.ts')) out.push(path);
    return;
  }
  for (const name of readdirSync(path).sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    collect(join(path, name), out);
  }
}

const files = [];
let concurrency = 1;
for (const arg of process.argv.slice(2)) {
  const m = /^--concurrency=(\d+)$/.exec(arg);
  if (m) concurrency = Math.max(1, Number(m[1]));
  else collect(arg, files);
}
if (files.length === 0) {
  console.error(`no test files under ${process.argv.slice(2).join(' ')}`);
  process.exit(1);
}
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${concurrency}`, ...files],
  {
    stdio: 'inherit',
  },
);
process.exit(r.status ?? 1);
