import { randomUUID } from 'node:crypto';
import { changeKeys } from '../core/index.js';
import { isOpaqueAccessToken, newOpaqueAccessToken, opaqueKeyHash } from '../crypto/index.js';
import { accessTokensRepository, type AccessTokenRow, type ChangeLog, type Store } from '../store/index.js';
import { OAuthError } from './oauth-error.js';
import { RELAY_WAIT_MS, type IntrospectionResponse, type OAuthClient } from './types.js';

/**
 * Waits for `relay` (the change feed handing new changes to gateways) at most {@link RELAY_WAIT_MS}: a slow relay
 * delays an answer, never fails it (gateways also catch up by polling the log).
 */
export async function awaitRelay(relay: (() => Promise<void>) | undefined): Promise<void> {
  if (relay === undefined) return;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, RELAY_WAIT_MS);
    timer.unref();
  });
  try {
    await Promise.race([relay().catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** What an opaque access token is issued for. */
export interface OpaqueTokenGrant {
  client: OAuthClient;
  applicationId: number;
  subject: string;
  aut: 'APPLICATION' | 'APPLICATION_USER';
  scopes: readonly string[];
  /** Epoch ms. */
  issuedAt: number;
  /** Epoch ms; null = never expires. */
  expiresAt: number | null;
}

/**
 * Issues an opaque access token (ADR 0006): a new random token whose HMAC is stored with what it grants, and a
 * change-log record in the same transaction, so every gateway learns it as an `accesstoken` delta. Returns the
 * token (the only time it exists outside the caller's response).
 * @throws OAuthError server_error when no hash secret is configured (a wiring bug)
 */
export async function issueOpaqueAccessToken(
  changes: ChangeLog,
  secret: Buffer | undefined,
  grant: OpaqueTokenGrant,
  relay?: () => Promise<void>,
): Promise<string> {
  if (secret === undefined) throw new OAuthError('server_error', 'Opaque access tokens are not available');
  const token = newOpaqueAccessToken();
  const row: AccessTokenRow = {
    token_id: randomUUID(),
    token_hash: opaqueKeyHash(secret, token),
    client_id: grant.client.clientId,
    application_id: grant.applicationId,
    key_type: grant.client.keyType === 'SANDBOX' ? 'SANDBOX' : 'PRODUCTION',
    username: grant.subject,
    aut: grant.aut,
    scope: grant.scopes.join(' '),
    issued_at: grant.issuedAt,
    expires_at: grant.expiresAt,
    revoked_at: null,
  };
  await changes.write(async (trx, record) => {
    await accessTokensRepository(trx).insert(row);
    record(changeKeys.accessToken(row.token_id));
  });
  // The client may call a gateway as soon as it reads the answer: tell the gateways first.
  await awaitRelay(relay);
  return token;
}

/** The stored row of an opaque access token (revoked or expired too), or undefined; nothing for other shapes. */
export async function findOpaqueAccessToken(
  store: Store,
  secret: Buffer | undefined,
  token: string,
): Promise<AccessTokenRow | undefined> {
  if (secret === undefined || !isOpaqueAccessToken(token)) return undefined;
  return accessTokensRepository(store).findByHash(opaqueKeyHash(secret, token));
}

/** True when `row` is neither revoked nor expired at `now` (epoch ms). */
export const isLiveAccessToken = (row: AccessTokenRow, now: number): boolean =>
  row.revoked_at === null && (row.expires_at === null || row.expires_at > now);

/**
 * Revokes an opaque access token and records the change (gateways drop it on the `accesstoken` delta). False when
 * it was already revoked.
 */
export async function revokeOpaqueAccessToken(
  changes: ChangeLog,
  row: AccessTokenRow,
  now: number,
  relay?: () => Promise<void>,
): Promise<boolean> {
  const revoked = await changes.write(async (trx, record) => {
    const done = await accessTokensRepository(trx).markRevoked(row.token_id, now);
    if (done) record(changeKeys.accessToken(row.token_id));
    return done;
  });
  if (revoked) await awaitRelay(relay);
  return revoked;
}

/** RFC 7662 answer for a live opaque access token (WSO2 field set; `jti` is the token's id, never the token). */
export function opaqueIntrospection(row: AccessTokenRow, issuer: string): IntrospectionResponse {
  return {
    active: true,
    scope: row.scope,
    client_id: row.client_id,
    username: row.username,
    token_type: 'Bearer',
    ...(row.expires_at !== null ? { exp: Math.floor(row.expires_at / 1000) } : {}),
    iat: Math.floor(row.issued_at / 1000),
    nbf: Math.floor(row.issued_at / 1000),
    sub: row.username,
    aud: row.client_id,
    iss: issuer,
    jti: row.token_id,
  };
}
