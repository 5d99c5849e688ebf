// SQLite extended result codes for a unique or primary-key constraint failure.
const SQLITE_CONSTRAINT_UNIQUE = 2067;
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;
// PostgreSQL SQLSTATE unique_violation.
const PG_UNIQUE_VIOLATION = '23505';

/**
 * True when `err` is a unique-constraint (or primary-key) violation from any store binding: better-sqlite3
 * (`code` SQLITE_CONSTRAINT_UNIQUE / SQLITE_CONSTRAINT_PRIMARYKEY), node:sqlite (`code` ERR_SQLITE_ERROR with
 * `errcode` 2067 / 1555) or pg (`code` 23505).
 * @example if (isUniqueViolation(err)) throw new RestError('CONFLICT', 'name taken');
 */
export function isUniqueViolation(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, errcode } = err as { code?: unknown; errcode?: unknown };
  if (code === PG_UNIQUE_VIOLATION) return true;
  if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return true;
  return (
    code === 'ERR_SQLITE_ERROR' &&
    (errcode === SQLITE_CONSTRAINT_UNIQUE || errcode === SQLITE_CONSTRAINT_PRIMARYKEY)
  );
}
