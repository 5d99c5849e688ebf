import type { SnapshotAccessToken } from '../../core/index.js';
import { RESIDENT_KEY_MANAGER } from '../../key-manager/index.js';
import type { AccessTokenRow } from '../../store/index.js';

/** An `access_tokens` row as the gateway holds it (`Snapshot.accessTokens`): the token's HMAC, never the token. */
export function snapshotAccessToken(row: AccessTokenRow): SnapshotAccessToken {
  return {
    id: row.token_id,
    hash: row.token_hash,
    keyManager: RESIDENT_KEY_MANAGER,
    consumerKey: row.client_id,
    subject: row.username,
    aut: row.aut,
    scopes: row.scope.split(' ').filter((s) => s.length > 0),
    issuedAt: Math.floor(row.issued_at / 1000),
    expiresAt: row.expires_at,
  };
}
