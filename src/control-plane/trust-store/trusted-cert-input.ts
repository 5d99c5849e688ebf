import type { X509Certificate } from 'node:crypto';
import { RestError } from '../../core/index.js';
import { KeystoreError, parseTrustedCertificate } from '../../crypto/index.js';

/** Longest alias accepted (Java keystores have no limit; 255 keeps rows and log lines small). */
const MAX_ALIAS = 255;

/** A validated trust store entry: the alias as given (trimmed) and the certificate, re-encoded as PEM. */
export interface TrustedCertInput {
  readonly alias: string;
  readonly certificate: X509Certificate;
  readonly pem: string;
}

/**
 * Validates an alias and one X.509 certificate given as PEM (text or bytes), base64 DER text or DER bytes. The
 * stored PEM is re-encoded from the parsed certificate, so nothing but the certificate is kept.
 * @throws RestError INVALID_CERTIFICATE_ALIAS (empty, longer than 255, not one line), INVALID_CERTIFICATE (not
 * exactly one certificate, a private key)
 */
export function parseTrustedCertInput(alias: unknown, input: unknown): TrustedCertInput {
  if (
    typeof alias !== 'string' ||
    alias.trim() === '' ||
    alias.trim().length > MAX_ALIAS ||
    /[\p{Cc}]/u.test(alias)
  ) {
    throw new RestError(
      'INVALID_CERTIFICATE_ALIAS',
      `alias must be one line of 1 to ${MAX_ALIAS} characters, without control characters`,
    );
  }
  if ((typeof input !== 'string' && !Buffer.isBuffer(input)) || input.length === 0) {
    throw new RestError('INVALID_CERTIFICATE', 'certificate must be a PEM or base64 DER X.509 certificate');
  }
  const name = alias.trim();
  try {
    const certificate = parseTrustedCertificate(input, 'trust store', name);
    return { alias: name, certificate, pem: certificate.toString() };
  } catch (err) {
    if (!(err instanceof KeystoreError)) throw err;
    // The detail names what was wrong (no certificate, several, a private key); it never quotes the input.
    throw new RestError('INVALID_CERTIFICATE', `certificate: ${err.detail}`);
  }
}
