import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pgUrl } from './dialects.js';
import type { PorticoRun } from './portico-process.js';

// Homes, databases and process control for tests that run `portico control-plane` processes on PostgreSQL.

/** A fresh PostgreSQL database for one test; `drop()` removes it (forcing out connections left behind). */
export async function freshDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `portico_cpf_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(pgUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await c.end();
    },
  };
}

/** Writes a control-plane home: PostgreSQL at `dbUrl`, Redis at `redisUrl`, no sample. */
export function writeHome(
  dir: string,
  offset: number,
  dbUrl: string,
  adminPw: string,
  redisUrl: string,
): string {
  mkdirSync(join(dir, 'conf'), { recursive: true });
  writeFileSync(
    join(dir, 'conf', 'deployment.toml'),
    [
      '[server]',
      `offset = ${offset}`,
      '[super_admin]',
      `password = "${adminPw}"`,
      '[database.apim_db]',
      'type = "postgres"',
      `url = "${dbUrl}"`,
      '[event_hub]',
      'type = "redis"',
      `redis_url = "${redisUrl}"`,
      '[apim.sample]',
      'deploy_on_first_start = false',
      '',
    ].join('\n'),
  );
  return dir;
}

/** Waits for the control plane's ready line, failing with its output if it exits or takes too long. */
export async function ready(run: PorticoRun, timeoutMs = 45_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!run.stdout().includes('Portico control plane ready')) {
    if (run.child.exitCode !== null) throw new Error(`exited ${run.child.exitCode}: ${run.stderr()}`);
    if (Date.now() > end) throw new Error(`not ready in ${timeoutMs} ms: ${run.stdout()} ${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** SIGTERM to every process still running; resolves when all have exited. */
export async function stopAll(runs: PorticoRun[]): Promise<void> {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
  await Promise.all(runs.map((r) => r.exited));
}
