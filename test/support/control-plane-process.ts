import type { PorticoRun } from './portico-process.js';
import {
  freshDatabase as freshScaledDatabase,
  waitForLine,
  writeHome as writeScaledHome,
} from './scaled-deployment.js';

// Shorthands for tests that run `portico control-plane` processes on PostgreSQL (see scaled-deployment.ts).

/** A fresh PostgreSQL database for one test; `drop()` removes it (forcing out connections left behind). */
export const freshDatabase = () => freshScaledDatabase('portico_cpf');

/** Writes a control-plane home: PostgreSQL at `dbUrl`, Redis at `redisUrl`, no sample. */
export function writeHome(
  dir: string,
  offset: number,
  dbUrl: string,
  password: string,
  redisUrl: string,
): string {
  return writeScaledHome(dir, { offset, dbUrl, password, redisUrl });
}

/** Waits for the control plane's ready line, failing with its output if it exits or takes too long. */
export const ready = (run: PorticoRun, timeoutMs = 45_000) =>
  waitForLine(run, 'Portico control plane ready', timeoutMs);

/** SIGTERM to every process still running; resolves when all have exited. */
export async function stopAll(runs: PorticoRun[]): Promise<void> {
  for (const r of runs) if (r.child.exitCode === null) r.child.kill('SIGTERM');
  await Promise.all(runs.map((r) => r.exited));
}
