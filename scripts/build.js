// Builds what `npm start` needs: the TypeScript server into dist/ and, when present, the web UI into web/dist/.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const run = (cmd, args) => execFileSync(cmd, args, { stdio: 'inherit' });
run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);
if (existsSync('web/vite.config.ts') || existsSync('web/vite.config.js')) {
  run(process.execPath, ['node_modules/vite/bin/vite.js', 'build', 'web']);
}
