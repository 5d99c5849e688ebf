/**
 * Strict base64 for credentials. Node's `Buffer.from(s, 'base64url')` skips characters outside the alphabet and
 * stops at the first `=`, so `KEY`, `KEY!!!` and `KEY==junk` decode to the same bytes: every credential would
 * have unlimited accepted spellings. These decoders accept exactly one spelling of a byte string per variant.
 */

/** The two alphabets: RFC 4648 §5 (`-_`, JOSE) and §4 (`+/`). */
export type Base64Alphabet = 'url' | 'std';

/** A base64 variant: alphabet, and whether `=` padding completes the last group. */
export interface Base64Variant {
  readonly alphabet: Base64Alphabet;
  readonly padded: boolean;
}

/** RFC 7515 base64url: URL alphabet, no padding. */
export const JOSE_BASE64: Base64Variant = Object.freeze({ alphabet: 'url', padded: false });

/** Java's `Base64.getUrlEncoder()`: URL alphabet with `=` padding, as WSO2 encodes API keys. */
export const WSO2_BASE64: Base64Variant = Object.freeze({ alphabet: 'url', padded: true });

const URL_BODY = /^[A-Za-z0-9_-]*$/;
const STD_BODY = /^[A-Za-z0-9+/]*$/;

/** Value of a base64 character (either alphabet), or -1. */
function sextet(code: number): number {
  if (code >= 65 && code <= 90) return code - 65;
  if (code >= 97 && code <= 122) return code - 71;
  if (code >= 48 && code <= 57) return code + 4;
  if (code === 45 || code === 43) return 62;
  if (code === 95 || code === 47) return 63;
  return -1;
}

/**
 * Decodes `text` in exactly `variant`, or returns `undefined`: a character outside the alphabet (whitespace
 * included), padding that is missing, excessive or present when the variant has none, a length no encoder
 * produces, or non-zero unused bits in the last character (`QR==` is not a spelling of `A`). Empty input is
 * refused (no credential segment is empty).
 * @example decodeBase64Strict('YQ', JOSE_BASE64) // <Buffer 61>; decodeBase64Strict('YQ!', JOSE_BASE64) // undefined
 */
export function decodeBase64Strict(text: string, variant: Base64Variant): Buffer | undefined {
  let end = text.length;
  if (variant.padded) {
    if (end === 0 || end % 4 !== 0) return undefined;
    if (text.charCodeAt(end - 1) === 61) end--;
    if (text.charCodeAt(end - 1) === 61) end--;
  }
  if (end === 0) return undefined;
  const rest = end % 4;
  if (rest === 1) return undefined;
  const body = end === text.length ? text : text.slice(0, end);
  if (!(variant.alphabet === 'url' ? URL_BODY : STD_BODY).test(body)) return undefined;
  if (rest !== 0) {
    // The last character carries 4 (rest 2) or 2 (rest 3) bits that no encoder sets.
    const unused = rest === 2 ? 0x0f : 0x03;
    if ((sextet(body.charCodeAt(end - 1)) & unused) !== 0) return undefined;
  }
  return Buffer.from(body, variant.alphabet === 'url' ? 'base64url' : 'base64');
}

/** Encodes `data` in `variant` (the inverse of {@link decodeBase64Strict}). */
export function encodeBase64(data: Buffer | string, variant: Base64Variant): string {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (variant.alphabet === 'url') {
    const bare = bytes.toString('base64url');
    if (!variant.padded) return bare;
    const pad = (4 - (bare.length % 4)) % 4;
    return pad === 0 ? bare : bare + '='.repeat(pad);
  }
  const std = bytes.toString('base64');
  return variant.padded ? std : std.replace(/=+$/, '');
}

/** Base64url without padding (RFC 7515). */
export function b64url(data: Buffer | string): string {
  return encodeBase64(data, JOSE_BASE64);
}

/**
 * Base64url WITH `=` padding, like Java's `Base64.getUrlEncoder()`: the encoding WSO2 uses for every segment of
 * its API-key JWTs (wso2-compat.md §2.1). Not RFC 7515 compliant on purpose.
 */
export function b64urlPadded(data: Buffer | string): string {
  return encodeBase64(data, WSO2_BASE64);
}
