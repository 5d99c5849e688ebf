import { randomBytes } from 'node:crypto';

/** Random bytes in an opaque access token: 256 bits. */
export const OPAQUE_ACCESS_TOKEN_BYTES = 32;
/** Length of an opaque access token: 32 bytes in unpadded base64url. */
export const OPAQUE_ACCESS_TOKEN_CHARS = 43;
/** 43 base64url characters; the last one carries 2 unused bits that must be zero (canonical encoding). */
const SHAPE = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;

/**
 * A new opaque access token for an `OAUTH` application (ADR 0006): 32 random bytes, unpadded base64url (43
 * characters, no `.`, so it is never taken for a JWT). Shown once in the token response; only its HMAC is stored.
 * @example const token = newOpaqueAccessToken(); // 'Qm9f…' (43 characters)
 */
export function newOpaqueAccessToken(): string {
  return randomBytes(OPAQUE_ACCESS_TOKEN_BYTES).toString('base64url');
}

/**
 * True when `token` is exactly the canonical form {@link newOpaqueAccessToken} produces (43 base64url characters
 * whose last character has zero padding bits): an offline test, so anything else is refused before a lookup.
 */
export function isOpaqueAccessToken(token: string): boolean {
  return token.length === OPAQUE_ACCESS_TOKEN_CHARS && SHAPE.test(token);
}
