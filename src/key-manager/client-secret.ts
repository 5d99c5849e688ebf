import { createHash, timingSafeEqual } from 'node:crypto';

const PREFIX = 'sha256:';

/**
 * Hashes a consumer secret for storage. Secrets are 28 random characters (~161 bits, `newClientCredential`), so a
 * single SHA-256 is as strong as a slow KDF here (nothing to brute-force) and keeps the token endpoint fast
 * (ADR 0002). Never use this for user-chosen passwords.
 */
export function hashClientSecret(secret: string): string {
  return PREFIX + createHash('sha256').update(secret, 'utf8').digest('base64url');
}

/** Compares a presented secret with a stored hash in constant time. False for any unknown hash format. */
export function verifyClientSecret(secret: string, stored: string): boolean {
  if (!stored.startsWith(PREFIX)) return false;
  const expected = Buffer.from(stored.slice(PREFIX.length), 'base64url');
  const actual = createHash('sha256').update(secret, 'utf8').digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

/** SHA-256 (hex) of an opaque token such as a refresh token: how it is looked up without being stored. */
export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
