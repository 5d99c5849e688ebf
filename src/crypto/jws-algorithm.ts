import type { KeyObject } from 'node:crypto';

/** The JWS algorithms Portico signs and verifies. `none` and HMAC are never accepted. */
export type JwsAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'ES256' | 'ES384';

interface AlgorithmSpec {
  hash: 'sha256' | 'sha384' | 'sha512';
  keyType: 'rsa' | 'ec';
  curve?: string;
}

const ALGORITHMS: Readonly<Record<JwsAlgorithm, AlgorithmSpec>> = {
  RS256: { hash: 'sha256', keyType: 'rsa' },
  RS384: { hash: 'sha384', keyType: 'rsa' },
  RS512: { hash: 'sha512', keyType: 'rsa' },
  ES256: { hash: 'sha256', keyType: 'ec', curve: 'prime256v1' },
  ES384: { hash: 'sha384', keyType: 'ec', curve: 'secp384r1' },
};

/** Whether `alg` is one of the {@link JwsAlgorithm}s (an allow-list: anything else, `none` included, is not). */
export function isJwsAlgorithm(alg: unknown): alg is JwsAlgorithm {
  return typeof alg === 'string' && Object.hasOwn(ALGORITHMS, alg);
}

/**
 * The hash and signature options node:crypto needs for `alg` with `key`, or `undefined` when the key does not fit
 * the algorithm (an EC key for RS256, a P-384 key for ES256, an unknown algorithm...).
 */
export function jwsSignOptions(
  alg: string,
  key: KeyObject,
): { hash: string; dsaEncoding?: 'ieee-p1363' } | undefined {
  if (!isJwsAlgorithm(alg)) return undefined;
  const spec = ALGORITHMS[alg];
  if (key.asymmetricKeyType !== spec.keyType) return undefined;
  if (spec.keyType === 'rsa') return { hash: spec.hash };
  if (key.asymmetricKeyDetails?.namedCurve !== spec.curve) return undefined;
  // JWS carries ECDSA signatures as r||s, not DER.
  return { hash: spec.hash, dsaEncoding: 'ieee-p1363' };
}
