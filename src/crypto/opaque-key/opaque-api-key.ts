import { createHmac, randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/** Random part: 32 base62 characters = 190 bits (the issue asks for at least 160). */
export const OPAQUE_RANDOM_CHARS = 32;
/** Checksum: CRC-32 of `<prefix>_<random>` in base62, left-padded with `0` to 6 characters (62^6 > 2^32). */
export const OPAQUE_CHECKSUM_CHARS = 6;
/** A prefix is 1–16 ASCII letters or digits, starting with a letter (no `_`, so the key splits unambiguously). */
export const OPAQUE_PREFIX_PATTERN = '^[A-Za-z][A-Za-z0-9]{0,15}$';
/**
 * The pattern secret scanners match (docs/security.md): prefix, `_`, 32 base62, `_`, 6 base62. A match is a
 * Portico key candidate; the checksum rule ({@link hasValidChecksum}) tells a key from a look-alike offline.
 */
export const OPAQUE_KEY_PATTERN = /^([A-Za-z][A-Za-z0-9]{0,15})_([0-9A-Za-z]{32})_([0-9A-Za-z]{6})$/;
const PREFIX = new RegExp(OPAQUE_PREFIX_PATTERN);

/** Base62 of a 32-bit unsigned integer, fixed width. */
function checksumOf(body: string): string {
  let n = crc32(body) >>> 0;
  let out = '';
  for (let i = 0; i < OPAQUE_CHECKSUM_CHARS; i++) {
    out = ALPHABET[n % 62]! + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/** Uniform base62 characters by rejection sampling (bytes ≥ 248 are dropped so no character is favoured). */
function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const b of randomBytes(length + 8)) {
      if (b >= 248) continue;
      out += ALPHABET[b % 62]!;
      if (out.length === length) break;
    }
  }
  return out;
}

/**
 * A new opaque API key `<prefix>_<32 base62>_<6 base62 CRC-32>`. Shown once to its owner; only its
 * {@link opaqueKeyHash} is stored.
 * @throws Error when `prefix` does not match {@link OPAQUE_PREFIX_PATTERN} (a bug: the config schema checks it)
 * @example const key = newOpaqueApiKey('portico'); // portico_3xZ…_0aB9cD
 */
export function newOpaqueApiKey(prefix: string): string {
  if (!PREFIX.test(prefix)) throw new Error(`invalid opaque API key prefix`);
  const body = `${prefix}_${randomBase62(OPAQUE_RANDOM_CHARS)}`;
  return `${body}_${checksumOf(body)}`;
}

/**
 * True when `key` has the opaque shape and its checksum matches: an offline test, no lookup. Any prefix is
 * accepted, so keys issued before a prefix change keep verifying.
 */
export function hasValidChecksum(key: string): boolean {
  if (key.length > 16 + 2 + OPAQUE_RANDOM_CHARS + OPAQUE_CHECKSUM_CHARS) return false;
  const m = OPAQUE_KEY_PATTERN.exec(key);
  if (m === null) return false;
  return checksumOf(`${m[1]!}_${m[2]!}`) === m[3];
}

/** The stored form of an opaque key: HMAC-SHA-256 under the server's API-key hash secret, base64url. */
export function opaqueKeyHash(secret: Buffer, key: string): string {
  return createHmac('sha256', secret).update(key).digest('base64url');
}
