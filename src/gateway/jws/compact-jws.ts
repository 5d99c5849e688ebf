import { constants, verify, type KeyObject } from 'node:crypto';

/** A compact JWS split into its parts; `signingInput` is the literal `header.payload` text that was signed. */
export interface CompactJws {
  readonly header: Record<string, unknown>;
  readonly payload: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/**
 * Splits and decodes a compact JWS. Segments may be unpadded (RFC 7515) or padded (WSO2's `Base64.getUrlEncoder()`).
 * Returns `'format'` when the token does not have exactly three segments, `'parse'` when the header or payload is
 * not a JSON object.
 */
export function parseCompactJws(token: string): CompactJws | 'format' | 'parse' {
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second < 0 || token.indexOf('.', second + 1) >= 0) return 'format';
  const header = decodeJsonObject(token.slice(0, first));
  const payload = header === null ? null : decodeJsonObject(token.slice(first + 1, second));
  if (header === null || payload === null) return 'parse';
  return {
    header,
    payload,
    signingInput: token.slice(0, second),
    signature: Buffer.from(token.slice(second + 1), 'base64url'),
  };
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  if (segment.length === 0) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** The asymmetric JWS algorithms the gateway accepts. `none` and HMAC are never accepted. */
export type JwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'ES256';

const HASHES: Record<JwsAlgorithm, string> = {
  RS256: 'sha256',
  RS384: 'sha384',
  RS512: 'sha512',
  PS256: 'sha256',
  ES256: 'sha256',
};

/** True when `alg` is one of {@link JwsAlgorithm}. */
export function isAcceptedAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(HASHES, alg);
}

/**
 * Verifies a JWS signature synchronously with node:crypto over the literal signing input. The key type must fit
 * the algorithm (RSA for RS/PS, P-256 for ES256), so an RSA public key can never be used as an HMAC secret.
 */
export function verifyJwsSignature(
  alg: JwsAlgorithm,
  key: KeyObject,
  signingInput: string,
  signature: Buffer,
): boolean {
  const keyType = key.asymmetricKeyType;
  const data = Buffer.from(signingInput, 'latin1');
  try {
    if (alg === 'ES256') {
      if (keyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') return false;
      return verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
    }
    if (alg === 'PS256') {
      if (keyType !== 'rsa' && keyType !== 'rsa-pss') return false;
      return verify(
        'sha256',
        data,
        { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST },
        signature,
      );
    }
    if (keyType !== 'rsa') return false;
    return verify(HASHES[alg], data, key, signature);
  } catch {
    return false;
  }
}
