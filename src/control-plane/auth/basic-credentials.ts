import { decodeBase64Strict, type Base64Variant } from '../../crypto/index.js';

/** A user name and password from an `Authorization: Basic` header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

// RFC 7617 §2: neither the user-id nor the password may contain control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const STD_BASE64: Base64Variant = { alphabet: 'std', padded: true };
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the token68 of a Basic credential (RFC 7617) strictly: standard base64 alphabet, padding that exactly
 * completes the last group, unused bits zero (the value must re-encode to itself), valid UTF-8, a colon after a
 * non-empty user name and no control characters. Anything else is null, so each credential has one spelling.
 * (`Buffer.from(v, 'base64')` alone skips foreign characters and stops at `=`: `YWRtaW46cHc=!!!` would pass.)
 * @example decodeBasicCredentials('YWRtaW46cHc=') // { username: 'admin', password: 'pw' }
 */
export function decodeBasicCredentials(token68: string): BasicCredentials | null {
  const bytes = decodeBase64Strict(token68, STD_BASE64);
  if (!bytes) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  const colon = text.indexOf(':');
  if (colon <= 0 || CONTROL.test(text)) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}
