import { changeKeys } from '../core/index.js';
import { createChangeLog, refreshTokensRepository, revokedTokensRepository } from '../store/index.js';
import type { PublicJwk } from '../crypto/index.js';
import { createAccessTokenSigner, type AccessTokenClaims } from './access-token-signer.js';
import { createClientRegistry, type ClientRegistry } from './client-registry.js';
import { hashOpaqueToken } from './client-secret.js';
import {
  findOpaqueAccessToken,
  isLiveAccessToken,
  opaqueIntrospection,
  revokeOpaqueAccessToken,
} from './opaque-access-tokens.js';
import { createTokenIssuer, type TokenIssuer } from './token-issuer.js';
import type {
  IntrospectionCaller,
  IntrospectionResponse,
  OAuthClient,
  ResidentKeyManagerOptions,
  VerifiedAccessToken,
} from './types.js';

/** Name of the built-in key manager in key mappings and the Developer Portal (WSO2's). */
export const RESIDENT_KEY_MANAGER = 'Resident Key Manager';

/** What a revocation did (the endpoint answers 200 whatever happened, RFC 7009 §2.2). */
export type RevocationResult =
  { revoked: 'access_token'; jti: string } | { revoked: 'refresh_token' } | { revoked: null };

/** The resident OAuth2 authorization server: clients, grants, revocation, introspection, JWKS. No HTTP. */
export interface ResidentKeyManager extends ClientRegistry, TokenIssuer {
  readonly name: string;
  readonly issuer: string;
  /** Revokes an access token (by jti) or a refresh token (its family) issued to `client`; others are ignored. */
  revoke(client: OAuthClient, token: string, hint?: string): Promise<RevocationResult>;
  introspect(token: string, caller: IntrospectionCaller): Promise<IntrospectionResponse>;
  jwks(): { keys: PublicJwk[] };
  /** For Portico's own REST APIs: our signature, our issuer, not expired, not revoked, client still registered. */
  verifyAccessToken(token: string): Promise<VerifiedAccessToken | null>;
}

/**
 * Creates the resident key manager over the store. Access tokens are RS256 JWTs signed with `signingKey` (claims
 * per wso2-compat.md §5.3), or opaque for `OAUTH` applications (stored as an HMAC under `opaqueTokenSecret`, ADR
 * 0006); refresh tokens are opaque, stored hashed and rotated with reuse detection.
 * Grant failures throw `OAuthError` (RFC 6749 codes).
 * @example
 * const km = createResidentKeyManager({ store, clock, config, signingKey: ctx.primaryKey, issuer: ctx.urls.issuer,
 *   bus, logger, verifyUser, userRoles, scopeAllowed });
 * const { client, clientSecret } = await km.createClient({ name: 'app', owner: 'alice', grantTypes: ['client_credentials'] });
 */
export function createResidentKeyManager(opts: ResidentKeyManagerOptions): ResidentKeyManager {
  const { store, clock } = opts;
  const signer = createAccessTokenSigner(opts.signingKey);
  const secretConfig = opts.config.oauth.client_secrets;
  const registry = createClientRegistry(store, () => clock.now(), {
    multiple: secretConfig.enable_multiple_secrets,
    maxActive: secretConfig.secret_count,
  });
  const skew = opts.config.oauth.timestamp_skew;
  const changes = opts.changes ?? createChangeLog(store, clock);
  const issuer = createTokenIssuer(opts, signer, changes);
  const secret = opts.opaqueTokenSecret;

  /** Claims of one of our tokens that is currently valid, or null. */
  async function liveClaims(token: string): Promise<AccessTokenClaims | null> {
    const claims = signer.verify(token);
    if (!claims || claims.iss !== opts.issuer) return null;
    const now = clock.now() / 1000;
    // exp <= iat: born expired (never issued by Portico, but the skew would let it in).
    if (claims.exp !== undefined && (claims.exp <= claims.iat || now > claims.exp + skew)) return null;
    if (claims.nbf > now + skew) return null;
    if (await revokedTokensRepository(store).isRevoked(claims.jti)) return null;
    // Deleting keys (or the application) ends the tokens they issued, for Portico's own APIs too.
    if (!(await registry.getClient(claims.azp))) return null;
    return claims;
  }

  return {
    ...registry,
    ...issuer,
    name: RESIDENT_KEY_MANAGER,
    issuer: opts.issuer,
    // The token_type_hint is only a hint (RFC 7009 §2.1): the token's shape decides.
    async revoke(client, token) {
      const claims = token.split('.').length === 3 ? signer.verify(token) : null;
      if (claims) {
        if (claims.azp !== client.clientId || claims.iss !== opts.issuer) return { revoked: null };
        const now = clock.now();
        const row = {
          jti: claims.jti,
          token_type: 'access_token',
          expires_at: claims.exp === undefined ? null : claims.exp * 1000,
          revoked_at: now,
          consumer_key: client.clientId,
        };
        await changes.write(async (trx, record) => {
          if (await revokedTokensRepository(trx).insert(row)) record(changeKeys.revocation(claims.jti));
        });
        return { revoked: 'access_token', jti: claims.jti };
      }
      const opaque = await findOpaqueAccessToken(store, secret, token);
      if (opaque) {
        if (opaque.client_id !== client.clientId) return { revoked: null };
        await revokeOpaqueAccessToken(changes, opaque, clock.now(), opts.relay);
        return { revoked: 'access_token', jti: opaque.token_id };
      }
      const repo = refreshTokensRepository(store);
      const row = await repo.findByHash(hashOpaqueToken(token));
      if (!row || row.client_id !== client.clientId) return { revoked: null };
      await repo.revokeFamily(row.family_id);
      return { revoked: 'refresh_token' };
    },
    async introspect(token, caller) {
      const mine = (clientId: string) => caller.kind === 'admin' || caller.clientId === clientId;
      const claims = await liveClaims(token);
      if (claims) {
        if (!mine(claims.azp)) return { active: false };
        return {
          active: true,
          scope: claims.scope,
          client_id: claims.azp,
          username: claims.sub,
          token_type: 'Bearer',
          ...(claims.exp !== undefined ? { exp: claims.exp } : {}),
          iat: claims.iat,
          nbf: claims.nbf,
          sub: claims.sub,
          aud: claims.aud,
          iss: claims.iss,
          jti: claims.jti,
        };
      }
      const now = clock.now();
      const opaque = await findOpaqueAccessToken(store, secret, token);
      if (opaque) {
        if (!isLiveAccessToken(opaque, now) || !mine(opaque.client_id)) return { active: false };
        if (!(await registry.getClient(opaque.client_id))) return { active: false };
        return opaqueIntrospection(opaque, opts.issuer);
      }
      const row = await refreshTokensRepository(store).findByHash(hashOpaqueToken(token));
      if (!row || row.revoked || row.used_at !== null || (row.expires_at !== null && row.expires_at <= now)) {
        return { active: false };
      }
      if (!mine(row.client_id)) return { active: false };
      return {
        active: true,
        scope: row.scope,
        client_id: row.client_id,
        username: row.username,
        token_type: 'Refresh',
        ...(row.expires_at !== null ? { exp: Math.floor(row.expires_at / 1000) } : {}),
        iat: Math.floor(row.created_at / 1000),
      };
    },
    jwks: () => ({ keys: [signer.jwk] }),
    async verifyAccessToken(token) {
      const opaque = await findOpaqueAccessToken(store, secret, token);
      if (opaque) {
        if (!isLiveAccessToken(opaque, clock.now()) || !(await registry.getClient(opaque.client_id))) {
          return null;
        }
        const scopes = opaque.scope.split(' ').filter((s) => s.length > 0);
        return { subject: opaque.username, scopes, clientId: opaque.client_id };
      }
      const claims = await liveClaims(token);
      if (!claims) return null;
      return {
        subject: claims.sub,
        scopes: claims.scope.split(' ').filter((s) => s.length > 0),
        clientId: claims.azp,
      };
    },
  };
}
