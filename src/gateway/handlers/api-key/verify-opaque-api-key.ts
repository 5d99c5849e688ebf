import { gatewayFaults, type GatewayFault } from '../../../core/index.js';
import { hasValidChecksum, opaqueKeyHash } from '../../../crypto/opaque-key/index.js';
import type { CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { VerifiedApiKey } from './verified-api-key.js';

const INVALID = gatewayFaults.invalidCredentialsByReason();
import { compileIpRestriction, compileRefererRestriction } from './api-key-restrictions.js';

/**
 * Verifies an opaque API key (`<prefix>_<random>_<crc32>`, docs/security.md) against the snapshot, no I/O: the
 * checksum first (a mistyped or made-up key is refused before any lookup), then the HMAC-SHA-256 of the key under
 * the deployment's secret is looked up in `index.opaqueApiKeys`; then revocation, expiry and rotation grace.
 * Every refusal is 401 900901, as for JWT keys. `secret` undefined: this gateway has no API-key hash secret, so
 * no opaque key can be valid.
 */
export function verifyOpaqueApiKey(
  key: string,
  now: number,
  index: CompiledSnapshot,
  secret: Buffer | undefined,
): { key: VerifiedApiKey; notAfterMs: number | null } | GatewayFault {
  if (!hasValidChecksum(key)) return INVALID.malformed;
  if (secret === undefined) return INVALID.unknown_key;
  const state = index.opaqueApiKeys.get(opaqueKeyHash(secret, key));
  // The snapshot holds live keys only: an unknown hash is a made-up key or one revoked or expired for long.
  if (state === undefined) return INVALID.unknown_key;
  if (index.revoked.has(state.jti)) return INVALID.revoked;
  const notAfter = earliest(state.expiresAt, state.graceExpiresAt);
  if (notAfter !== null && notAfter <= now) return INVALID.expired;
  return {
    key: Object.freeze({
      jti: state.jti,
      format: 'opaque',
      subject: state.subject,
      keyType: state.keyType,
      applicationId: state.applicationId,
      ipRule: compileIpRestriction(state.permittedIP),
      refererRule: compileRefererRestriction(state.permittedReferer),
      subscribedApis: null,
      claims: Object.freeze({
        sub: state.subject,
        jti: state.jti,
        keytype: state.keyType,
        token_type: 'apiKey',
      }),
    }),
    notAfterMs: notAfter,
  };
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.min(a, b);
}
