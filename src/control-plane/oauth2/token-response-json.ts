import type { TokenResponse } from '../../key-manager/index.js';

// A string that JSON.stringify would only put in quotes: printable ASCII without `"` and `\`. Tokens (base64url
// and dots) and usual scopes are such strings; anything else goes through JSON.stringify.
const PLAIN = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

const str = (s: string) => (PLAIN.test(s) ? `"${s}"` : JSON.stringify(s));

/**
 * The token endpoint's success body, byte for byte `JSON.stringify(body)` (same fields, same order, same
 * escaping), built for the one fixed shape so a token request skips the generic serializer.
 * @example tokenResponseJson({ access_token: 'a.b.c', scope: 'default', token_type: 'Bearer', expires_in: 3600 })
 */
export function tokenResponseJson(body: TokenResponse): string {
  const refresh = body.refresh_token === undefined ? '' : `"refresh_token":${str(body.refresh_token)},`;
  return (
    `{"access_token":${str(body.access_token)},${refresh}"scope":${str(body.scope)},` +
    `"token_type":${str(body.token_type)},"expires_in":${JSON.stringify(body.expires_in)}}`
  );
}
