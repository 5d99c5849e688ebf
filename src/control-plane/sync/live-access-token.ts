import type { SnapshotAccessToken } from '../../core/index.js';
import { accessTokensRepository, type Store } from '../../store/index.js';
import { snapshotAccessToken } from '../snapshot/access-token-entity.js';

/**
 * The opaque access token with HMAC `hash` as a gateway holds it, when it is neither revoked nor expired at `now`;
 * else null. What a gateway that has not yet received the token's delta asks for (ADR 0006).
 */
export async function liveAccessToken(
  store: Store,
  hash: string,
  now: number,
): Promise<SnapshotAccessToken | null> {
  const row = await accessTokensRepository(store).findByHash(hash);
  if (row === undefined || row.revoked_at !== null) return null;
  if (row.expires_at !== null && row.expires_at <= now) return null;
  return snapshotAccessToken(row);
}
