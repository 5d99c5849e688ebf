import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const freshness = join(repo, 'scripts', 'build-freshness.js');

/** The fingerprint of `dir/src` as scripts/build.js computes it. */
function printOf(dir: string): string {
  return execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { fingerprint } from ${JSON.stringify(freshness)}; console.log(fingerprint(${JSON.stringify(dir)}, ['src']));`,
    ],
    { encoding: 'utf8' },
  ).trim();
}

test('npm start does not rebuild when nothing changed (the e2e run built just before)', () => {
  const out = execFileSync(process.execPath, ['scripts/build.js', '--if-changed'], {
    cwd: repo,
    encoding: 'utf8',
  });
  assert.match(out, /build: server is up to date/);
  assert.match(out, /build: web UI is up to date/);
});

test('the build fingerprint changes on an edit, a new file and a deleted file, and only then', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-fingerprint-'));
  try {
    mkdirSync(join(dir, 'src', 'a'), { recursive: true });
    writeFileSync(join(dir, 'src', 'a', 'one.ts'), 'export const one = 1;\n');
    const first = printOf(dir);
    assert.equal(printOf(dir), first, 'unchanged tree, same fingerprint');
    writeFileSync(join(dir, 'src', 'a', 'one.ts'), 'export const one = 2;\n');
    utimesSync(join(dir, 'src', 'a', 'one.ts'), new Date(), new Date(Date.now() + 5000));
    const edited = printOf(dir);
    assert.notEqual(edited, first, 'an edit');
    writeFileSync(join(dir, 'src', 'two.ts'), '');
    const added = printOf(dir);
    assert.notEqual(added, edited, 'a new file');
    rmSync(join(dir, 'src', 'two.ts'));
    assert.equal(printOf(dir), edited, 'deleting the new file restores the fingerprint');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
