/**
 * Whether an error from the store means "the database cannot be reached right now" (retry later: REST answers 503)
 * rather than a fault of the request or of Portico. Dialect knowledge of connection failures lives here only.
 *
 * PostgreSQL: socket errors while connecting or mid-query, the pool's connect timeout, SQLSTATE class 08
 * (connection exception), 57P01–57P03 (server shutting down or starting) and 53300 (too many connections).
 * SQLite: SQLITE_BUSY / SQLITE_LOCKED after the busy timeout (another process holds the write lock).
 */
export function isStoreUnavailable(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.some(isStoreUnavailable);
  if (!(err instanceof Error)) return false;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || code.startsWith('08')) return true;
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return true;
  }
  return POOL_MESSAGES.has(err.message);
}

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03', '53300']);
/** What pg and pg-pool throw without a code when a connection ends or cannot be made in time. */
const POOL_MESSAGES = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);
