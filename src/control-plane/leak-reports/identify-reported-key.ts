import { decodeCompactJws, hasValidChecksum, opaqueKeyHash, verifyCompactJws } from '../../crypto/index.js';
import { apiKeysRepository, type ApiKeyRow } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { trustedCertificate } from '../devportal/api-keys/index.js';

/** A reported token that is an API key Portico issued: its jti, and its stored row when there is one. */
export interface ReportedKey {
  readonly jti: string;
  /** Epoch ms, or null when the key never expires. */
  readonly expiresAt: number | null;
  readonly format: 'jwt' | 'opaque';
  readonly row: ApiKeyRow | undefined;
  /** The application uuid the key names (JWT claim), when known without the row. */
  readonly applicationUuid: string | null;
}

/**
 * Whether `token` is an API key Portico issued. Opaque: the checksum holds (offline) and its HMAC is a stored
 * key. JWT: the WSO2-profile compact JWS verifies with the trust-store certificate its `kid` names and carries
 * `token_type: "apiKey"` and a `jti` — a JWT that does not verify is never taken for one of ours, whatever it
 * claims. Anything else (access tokens included) is null.
 */
export async function identifyReportedKey(
  ctx: ControlPlaneContext,
  token: string,
): Promise<ReportedKey | null> {
  if (hasValidChecksum(token)) {
    const row = await apiKeysRepository(ctx.store).findByHash(opaqueKeyHash(ctx.apiKeyHashSecret, token));
    if (!row) return null;
    return { jti: row.jti, expiresAt: row.expires_at, format: 'opaque', row, applicationUuid: null };
  }
  if (!token.includes('.')) return null;
  const jws = decodeCompactJws(token, 'wso2');
  if (typeof jws === 'string') return null;
  const cert = trustedCertificate(ctx, jws.header.kid);
  if (!cert || !verifyCompactJws(jws, cert)) return null;
  const { jti, exp, token_type: tokenType, application } = jws.payload;
  if (tokenType !== 'apiKey' || typeof jti !== 'string' || jti === '') return null;
  const row = await apiKeysRepository(ctx.store).findByJti(jti);
  const uuid = (application as { uuid?: unknown } | undefined)?.uuid;
  return {
    jti,
    expiresAt:
      row?.expires_at ?? (typeof exp === 'number' && Number.isFinite(exp) ? Math.floor(exp * 1000) : null),
    format: 'jwt',
    row,
    applicationUuid: typeof uuid === 'string' ? uuid : null,
  };
}
