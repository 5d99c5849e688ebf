/**
 * A scope name WSO2 sends base64url-encoded in a path (`HEAD /scopes/{scopeId}`, `GET /system-scopes/{scopeName}`),
 * padding optional; null when it does not decode to a name `pattern` accepts.
 */
export function decodeScopeNameParam(encoded: string, pattern: RegExp): string | null {
  if (!/^[A-Za-z0-9_-]{1,400}={0,2}$/.test(encoded)) return null;
  const text = Buffer.from(encoded.replace(/=+$/, ''), 'base64url').toString('utf8');
  return pattern.test(text) ? text : null;
}
