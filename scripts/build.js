// Builds what `npm start` needs: the TypeScript server into dist/ and, when present, the web UI into web/dist/.
// `--if-changed` (what `npm start` passes) skips a part whose inputs are unchanged since its last build.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fingerprint, recordBuild, upToDate } from './build-freshness.js';

const ifChanged = process.argv.includes('--if-changed');
const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
const shared = ['package.json', 'package-lock.json', 'tsconfig.json'];

function build(name, inputs, outDir, stampFile, command) {
  const print = fingerprint('.', [...shared, ...inputs]);
  if (ifChanged && upToDate(stampFile, print, outDir)) {
    console.log(`build: ${name} is up to date`);
    return;
  }
  command();
  recordBuild(stampFile, print);
}

build('server', ['src', 'tsconfig.build.json'], 'dist', 'dist/.build-fingerprint', () =>
  run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']),
);
if (existsSync('web/vite.config.ts') || existsSync('web/vite.config.js')) {
  build('web UI', ['web'], 'web/dist', 'web/dist/.build-fingerprint', () =>
    run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web']),
  );
}
