import { constants, type KeyObject } from 'node:crypto';

/**
 * The JWS algorithms Portico signs and verifies: asymmetric only. `none` and HMAC are never accepted, so a public
 * key can never be used as an HMAC secret (the HS/RS confusion attack). Names are case-sensitive (RFC 7518).
 */
export type JwsAlgorithm =
  'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512';

interface AlgorithmSpec {
  hash: 'sha256' | 'sha384' | 'sha512';
  family: 'rsa' | 'pss' | 'ec';
  curve?: string;
}

const ALGORITHMS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  RS256: { hash: 'sha256', family: 'rsa' },
  RS384: { hash: 'sha384', family: 'rsa' },
  RS512: { hash: 'sha512', family: 'rsa' },
  PS256: { hash: 'sha256', family: 'pss' },
  PS384: { hash: 'sha384', family: 'pss' },
  PS512: { hash: 'sha512', family: 'pss' },
  ES256: { hash: 'sha256', family: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', family: 'ec', curve: 'secp384r1' },
  ES512: { hash: 'sha512', family: 'ec', curve: 'secp521r1' },
};

/** Whether `alg` is one of the {@link JwsAlgorithm}s (an allow-list: anything else, `none` included, is not). */
export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg);
}

/** node:crypto sign/verify options for one algorithm and key. */
export interface JwsCryptoOptions {
  hash: string;
  padding?: number;
  saltLength?: number;
  dsaEncoding?: 'ieee-p1363';
}

/**
 * The hash and signature options node:crypto needs for `alg` with `key`, or `undefined` when the key does not fit
 * the algorithm (an EC key for RS256, a P-384 key for ES256, an RSA key for ES256, an unknown algorithm...).
 */
export function jwsSignOptions(alg: string, key: KeyObject): JwsCryptoOptions | undefined {
  if (!isJwsAlgorithm(alg)) return undefined;
  const spec = ALGORITHMS[alg];
  const type = key.asymmetricKeyType;
  if (spec.family === 'rsa') return type === 'rsa' ? { hash: spec.hash } : undefined;
  if (spec.family === 'pss') {
    if (type !== 'rsa' && type !== 'rsa-pss') return undefined;
    return {
      hash: spec.hash,
      padding: constants.RSA_PKCS1_PSS_PADDING,
      saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
    };
  }
  if (type !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== spec.curve) return undefined;
  // JWS carries ECDSA signatures as r||s, not DER.
  return { hash: spec.hash, dsaEncoding: 'ieee-p1363' };
}
