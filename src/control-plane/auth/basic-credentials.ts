/** A user name and password from an `Authorization: Basic` header. */
export interface BasicCredentials {
  username: string;
  password: string;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// RFC 7617 §2: neither the user-id nor the password may contain control characters.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes the token68 of a Basic credential (RFC 7617) strictly: standard base64 alphabet, padding that exactly
 * completes the last group, unused bits zero (the value must re-encode to itself), valid UTF-8, a colon after a
 * non-empty user name and no control characters. Anything else is null, so each credential has one spelling.
 * (`Buffer.from(v, 'base64')` alone skips foreign characters and stops at `=`: `YWRtaW46cHc=!!!` would pass.)
 * @example decodeBasicCredentials('YWRtaW46cHc=') // { username: 'admin', password: 'pw' }
 */
export function decodeBasicCredentials(token68: string): BasicCredentials | null {
  if (token68.length === 0 || token68.length % 4 !== 0 || !BASE64.test(token68)) return null;
  const bytes = Buffer.from(token68, 'base64');
  if (bytes.toString('base64') !== token68) return null;
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
