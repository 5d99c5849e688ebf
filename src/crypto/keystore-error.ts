/** Stable codes of {@link KeystoreError}; the CLI and the startup checks switch on them. */
export type KeystoreErrorCode =
  | 'KEYSTORE_NOT_FOUND'
  | 'KEYSTORE_BAD_PASSWORD'
  | 'KEYSTORE_ALIAS_NOT_FOUND'
  | 'KEYSTORE_ALIAS_EXISTS'
  | 'KEYSTORE_TYPE_MISMATCH'
  | 'KEYSTORE_UNREADABLE'
  | 'KEYSTORE_BAD_CERTIFICATE'
  | 'KEYSTORE_EXISTS'
  | 'KEYSTORE_READ_ONLY';

/**
 * The one error type of the keystore and trust-store functions.
 *
 * `message` is a single human line that names the file (and the alias when there is one); it never contains a
 * password or key material, so it is safe to print as is. The underlying library error, if any, is kept in
 * `cause` for the log only.
 */
export class KeystoreError extends Error {
  override readonly name = 'KeystoreError';
  readonly code: KeystoreErrorCode;
  readonly file: string;
  readonly alias: string | undefined;
  /** What was wrong, without the file and alias (safe to show, like `message`). */
  readonly detail: string;

  constructor(
    code: KeystoreErrorCode,
    file: string,
    detail: string,
    opts: { alias?: string | undefined; cause?: unknown } = {},
  ) {
    const where = opts.alias === undefined ? `keystore ${file}` : `keystore ${file}, alias "${opts.alias}"`;
    super(`${where}: ${detail}`, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    this.file = file;
    this.alias = opts.alias;
    this.detail = detail;
  }
}
