import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;

/** A temp Portico home, optionally with a deployment.toml written before the first start. */
export function tempHome(toml?: string): string {
  const home = mkdtempSync(join(tmpdir(), 'portico-home-'));
  if (toml !== undefined) {
    mkdirSync(join(home, 'conf'), { recursive: true });
    writeFileSync(join(home, 'conf', 'deployment.toml'), toml);
  }
  return home;
}

export interface PorticoRun {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

const BUILT = join(ROOT, 'dist/cli/run.js');

/**
 * Runs `portico <args>` as a separate process from the build in dist/ (what `npm start` runs; `npm run test:e2e`
 * builds it first). Node's own start-up then costs ~0.3 s per process instead of ~3 s through tsx.
 */
export function runPortico(args: string[], opts: { input?: string } = {}): PorticoRun {
  if (!existsSync(BUILT)) throw new Error('dist/ is missing: run `npm run build` (npm run test:e2e does it)');
  const child = spawn(process.execPath, [BUILT, ...args], {
    cwd: ROOT,
    env: { ...process.env, PORTICO_HOME: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  if (opts.input !== undefined) child.stdin?.end(opts.input);
  else child.stdin?.end();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts `portico start --home HOME` and waits for the ready line (or fails with the process output). */
export async function startPortico(
  home: string,
  timeoutMs = 45_000,
): Promise<PorticoRun & { stop(): Promise<number | null> }> {
  const run = runPortico(['start', '--home', home]);
  const deadline = Date.now() + timeoutMs;
  while (!run.stdout().includes('Portico ready')) {
    if (run.child.exitCode !== null) {
      throw new Error(`portico exited ${run.child.exitCode}\nstdout:${run.stdout()}\nstderr:${run.stderr()}`);
    }
    if (Date.now() > deadline) {
      run.child.kill('SIGKILL');
      throw new Error(`portico not ready in ${timeoutMs} ms\nstdout:${run.stdout()}\nstderr:${run.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    ...run,
    async stop() {
      run.child.kill('SIGTERM');
      return run.exited;
    },
  };
}
