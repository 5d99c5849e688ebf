import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from 'pino';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * The gateway's stable id (the `id` of its heartbeats): a UUID kept in `file` (mode 0600), created on the first
 * start. A file that does not hold a UUID is replaced by a new one, with a warning (the control plane then lists a
 * new gateway and the old entry goes stale).
 * @example const id = loadOrCreateGatewayId(join(home, 'gateway', 'gateway-id'), logger);
 */
export function loadOrCreateGatewayId(file: string, logger: Logger): string {
  let existing: string | null = null;
  try {
    existing = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (existing !== null && UUID.test(existing)) return existing;
  if (existing !== null) logger.warn({ file }, 'gateway id file does not hold a UUID: creating a new id');
  const id = randomUUID();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${id}\n`, { mode: 0o600, flush: true });
  renameSync(tmp, file);
  return id;
}
