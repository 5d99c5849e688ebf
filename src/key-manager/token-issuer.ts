import { randomUUID } from 'node:crypto';
import { applicationsRepository, refreshTokensRepository, type ChangeLog } from '../store/index.js';
import type { AccessTokenClaims, AccessTokenSigner } from './access-token-signer.js';
import { issueOpaqueAccessToken } from './opaque-access-tokens.js';
import { hashOpaqueToken } from './client-secret.js';
import { OAuthError } from './oauth-error.js';
import { grantedScopes, parseScopeParam } from './scope-policy.js';
import {
  NEVER_EXPIRES_IN,
  SUPPORTED_GRANTS,
  type OAuthClient,
  type ResidentKeyManagerOptions,
  type SupportedGrant,
  type TokenRequest,
  type TokenResponse,
} from './types.js';

/** Runs the grants of the token endpoint and mints access/refresh tokens. */
export interface TokenIssuer {
  enabledGrantTypes(): SupportedGrant[];
  /** @throws OAuthError unsupported_grant_type, unauthorized_client, invalid_request, invalid_grant, invalid_scope */
  token(req: TokenRequest): Promise<TokenResponse>;
  /** A client_credentials token with an explicit validity (Developer Portal generate-keys / generate-token). */
  applicationToken(
    client: OAuthClient,
    scopes: readonly string[],
    validitySeconds?: number,
  ): Promise<TokenResponse>;
}

/**
 * The grant engine over the store. Access tokens are RS256 JWTs, except for clients of an application of token
 * type `OAUTH`: those get opaque tokens, stored only as an HMAC and pushed to gateways through `changes` (ADR 0006).
 */
export function createTokenIssuer(
  opts: ResidentKeyManagerOptions,
  signer: AccessTokenSigner,
  changes: ChangeLog,
): TokenIssuer {
  const { store, clock, config } = opts;
  const validity = config.oauth.token_validation;
  const enabled = (): SupportedGrant[] => SUPPORTED_GRANTS.filter((g) => config.oauth.grant_type[g].enable);

  const rolesOf = async (username: string): Promise<string[]> => {
    const roles = await opts.userRoles(username);
    if (!roles) throw new OAuthError('invalid_grant', 'The token owner no longer exists');
    return roles;
  };

  async function mint(
    client: OAuthClient,
    sub: string,
    aut: AccessTokenClaims['aut'],
    scopes: readonly string[],
    validitySeconds: number,
  ): Promise<{ token: string; expiresIn: number }> {
    const now = clock.now();
    const iat = Math.floor(now / 1000);
    const never = validitySeconds < 0;
    const seconds = Math.min(validitySeconds, NEVER_EXPIRES_IN);
    if (
      client.applicationId !== null &&
      (client.opaqueAccessTokens ?? (await isOauthApplication(client.applicationId)))
    ) {
      const token = await issueOpaqueAccessToken(
        changes,
        opts.opaqueTokenSecret,
        {
          client,
          applicationId: client.applicationId,
          subject: sub,
          aut,
          scopes,
          issuedAt: now,
          expiresAt: never ? null : now + seconds * 1000,
        },
        opts.relay,
      );
      return { token, expiresIn: never ? NEVER_EXPIRES_IN : seconds };
    }
    const claims: AccessTokenClaims = {
      sub,
      aut,
      aud: client.clientId,
      nbf: iat,
      azp: client.clientId,
      scope: scopes.join(' '),
      iss: opts.issuer,
      ...(never ? {} : { exp: iat + seconds }),
      iat,
      jti: randomUUID(),
      client_id: client.clientId,
    };
    return { token: await signer.sign(claims), expiresIn: never ? NEVER_EXPIRES_IN : seconds };
  }

  /** WSO2 `tokenType: OAUTH` applications get opaque access tokens (a read unless client authentication told). */
  async function isOauthApplication(applicationId: number): Promise<boolean> {
    const app = await applicationsRepository(store).findById(applicationId);
    return app?.token_type === 'OAUTH';
  }

  async function newRefreshToken(client: OAuthClient, username: string, scope: string, familyId: string) {
    const token = randomUUID();
    const now = clock.now();
    const v = validity.refresh_token_validity;
    await refreshTokensRepository(store).insert({
      token_hash: hashOpaqueToken(token),
      family_id: familyId,
      client_id: client.clientId,
      username,
      scope,
      expires_at: v < 0 ? null : now + v * 1000,
      used_at: null,
      revoked: 0,
      created_at: now,
    });
    return token;
  }

  const issuesRefresh = (client: OAuthClient) =>
    config.oauth.grant_type.refresh_token.enable && client.grantTypes.includes('refresh_token');

  async function userToken(client: OAuthClient, username: string, scopes: string[], familyId: string) {
    const { token, expiresIn } = await mint(
      client,
      username,
      'APPLICATION_USER',
      scopes,
      validity.user_access_token_validity,
    );
    const scope = scopes.join(' ');
    const refresh = issuesRefresh(client)
      ? await newRefreshToken(client, username, scope, familyId)
      : undefined;
    return response(token, refresh, scope, expiresIn);
  }

  async function applicationToken(
    client: OAuthClient,
    requested: readonly string[],
    validitySeconds?: number,
  ) {
    // Only look up the owner's roles when something beyond `default` is asked for (the hot path asks for nothing).
    const wanted = requested.filter((s) => s !== 'default');
    const scopes =
      wanted.length === 0
        ? ['default']
        : await grantedScopes(store, wanted, await rolesOf(client.owner), opts.scopeAllowed);
    const seconds =
      validitySeconds === undefined || validitySeconds === 0
        ? validity.app_access_token_validity
        : validitySeconds;
    const { token, expiresIn } = await mint(client, client.owner, 'APPLICATION', scopes, seconds);
    return response(token, undefined, scopes.join(' '), expiresIn);
  }

  async function refreshGrant(req: TokenRequest): Promise<TokenResponse> {
    if (!req.refreshToken) throw new OAuthError('invalid_request', 'Missing parameter: refresh_token');
    const repo = refreshTokensRepository(store);
    const row = await repo.findByHash(hashOpaqueToken(req.refreshToken));
    const invalid = new OAuthError('invalid_grant', 'Invalid, expired or revoked refresh token');
    if (!row || row.revoked || row.client_id !== req.client.clientId) throw invalid;
    if (row.used_at !== null || !(await repo.markUsed(row.token_hash, clock.now()))) {
      // A used refresh token came back: someone holds a copy. Kill the whole rotation family (RFC 9700 §4.14.2).
      await repo.revokeFamily(row.family_id);
      opts.logger.warn(
        { clientId: row.client_id, family: row.family_id },
        'refresh token reuse: family revoked',
      );
      throw invalid;
    }
    if (row.expires_at !== null && row.expires_at <= clock.now()) throw invalid;
    const original = row.scope.split(' ').filter((s) => s.length > 0);
    const asked = parseScopeParam(req.scope);
    if (asked.some((s) => !original.includes(s))) {
      throw new OAuthError('invalid_scope', 'The requested scope exceeds the scope originally granted');
    }
    // Re-check against current roles: a user who lost a role must not keep its scopes by refreshing.
    const scopes = await grantedScopes(
      store,
      asked.length ? asked : original,
      await rolesOf(row.username),
      opts.scopeAllowed,
    );
    return userToken(req.client, row.username, scopes, row.family_id);
  }

  return {
    enabledGrantTypes: enabled,
    applicationToken,
    async token(req) {
      const grant = req.grantType as SupportedGrant;
      if (!SUPPORTED_GRANTS.includes(grant) || !config.oauth.grant_type[grant].enable) {
        throw new OAuthError('unsupported_grant_type', 'Unsupported grant_type value');
      }
      if (!req.client.grantTypes.includes(grant)) {
        throw new OAuthError('unauthorized_client', `The client is not allowed to use the ${grant} grant`);
      }
      if (grant === 'client_credentials') return applicationToken(req.client, parseScopeParam(req.scope));
      if (grant === 'refresh_token') return refreshGrant(req);
      if (!req.username || req.password === undefined) {
        throw new OAuthError('invalid_request', 'Missing parameter: username or password');
      }
      const requested = parseScopeParam(req.scope);
      const owner = await opts.verifyUser(req.username, req.password, req.origin);
      if (!owner) throw new OAuthError('invalid_grant', 'Invalid resource owner credentials');
      const scopes = await grantedScopes(store, requested, owner.roles, opts.scopeAllowed);
      return userToken(req.client, owner.username, scopes, randomUUID());
    },
  };
}

function response(
  token: string,
  refresh: string | undefined,
  scope: string,
  expiresIn: number,
): TokenResponse {
  return {
    access_token: token,
    ...(refresh ? { refresh_token: refresh } : {}),
    scope,
    token_type: 'Bearer',
    expires_in: expiresIn,
  };
}
