import type { JsonWebKeyPublic } from '../../core/index.js';

const MAX_KEYS = 100;
const MEMBERS = ['kty', 'kid', 'alg', 'use', 'n', 'e', 'crv', 'x', 'y', 'x5t'] as const;

/**
 * The public signature keys of a JWKS document: RSA and EC only (asymmetric algorithms, wso2-compat.md §5.3),
 * public members only, so a provider that publishes private or symmetric material never leaks it into a
 * snapshot. @throws Error when the document has no `keys` array
 */
export function publicKeysOf(body: unknown): JsonWebKeyPublic[] {
  const keys = (body as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(keys)) throw new Error('JWKS fetch: the document has no keys array');
  const out: JsonWebKeyPublic[] = [];
  for (const k of keys.slice(0, MAX_KEYS)) {
    if (k === null || typeof k !== 'object') continue;
    const jwk = k as Record<string, unknown>;
    if (jwk.kty !== 'RSA' && jwk.kty !== 'EC') continue;
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const pub: Record<string, string> = {};
    for (const m of MEMBERS) if (typeof jwk[m] === 'string') pub[m] = jwk[m];
    out.push(pub as unknown as JsonWebKeyPublic);
  }
  return out;
}
