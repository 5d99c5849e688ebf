import { isOpaqueAccessToken, opaqueKeyHash } from '../../../crypto/opaque-key/index.js';
import type { CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { VerifiedAccessToken } from './verified-access-token.js';

/**
 * Verifies an opaque access token of an `OAUTH` application against the snapshot (ADR 0006), no I/O: the exact
 * shape first (43 canonical base64url characters; anything else is refused before hashing), then its HMAC-SHA-256
 * under the deployment's hash secret is looked up in `index.opaqueAccessTokens`, then expiry. A revoked token is
 * no longer in the index. Returns null for every refusal (the caller answers 900901); `secret` undefined means
 * this gateway has no hash secret, so no opaque token can be valid.
 */
export function verifyOpaqueAccessToken(
  token: string,
  now: number,
  index: CompiledSnapshot,
  secret: Buffer | undefined,
): VerifiedAccessToken | null {
  if (secret === undefined || !isOpaqueAccessToken(token)) return null;
  const state = index.opaqueAccessTokens.get(opaqueKeyHash(secret, token));
  if (state === undefined) return null;
  if (state.expiresAt !== null && state.expiresAt <= now) return null;
  const scope = state.scopes.join(' ');
  // The claims a JWT of the same grant would carry, so the backend JWT and analytics see the same fields.
  const claims: Record<string, unknown> = {
    sub: state.subject,
    aut: state.aut,
    azp: state.consumerKey,
    client_id: state.consumerKey,
    scope,
    iat: state.issuedAt,
    jti: state.id,
  };
  if (state.expiresAt !== null) claims.exp = Math.floor(state.expiresAt / 1000);
  return Object.freeze({
    jti: state.id,
    subject: state.subject,
    keyManager: state.keyManager,
    consumerKey: state.consumerKey,
    scopes: state.scopes,
    claims: Object.freeze(claims),
  });
}
