import { createPublicKey, X509Certificate } from 'node:crypto';
import type { JsonWebKey, KeyObject } from 'node:crypto';
import type { JwsAlgorithm } from './jws/jws-algorithm.js';

/** A public JWK as published on a JWKS endpoint. */
export interface PublicJwk extends JsonWebKey {
  kid: string;
  use: 'sig';
  alg: JwsAlgorithm;
  /** Base64 (standard, padded) DER certificate chain, when made from a certificate (RFC 7517 §4.7). */
  x5c?: string[];
}

/**
 * The public JWK of a certificate or key for `/oauth2/jwks`. Private key material is never included: a private
 * `KeyObject` is reduced to its public half first. `alg` defaults to RS256 for RSA and ES256/ES384 for EC keys.
 * @throws TypeError for key types other than RSA and EC P-256/P-384 (a programmer error)
 */
export function publicJwk(source: X509Certificate | KeyObject, kid: string, alg?: JwsAlgorithm): PublicJwk {
  const cert = source instanceof X509Certificate ? source : undefined;
  const key = source instanceof X509Certificate ? source.publicKey : toPublic(source);
  const jwk = key.export({ format: 'jwk' });
  const out: PublicJwk = { ...jwk, kid, use: 'sig', alg: alg ?? defaultAlg(key) };
  if (cert) out.x5c = [cert.raw.toString('base64')];
  return out;
}

function defaultAlg(key: KeyObject): JwsAlgorithm {
  if (key.asymmetricKeyType === 'rsa') return 'RS256';
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ec' && curve === 'prime256v1') return 'ES256';
  if (key.asymmetricKeyType === 'ec' && curve === 'secp384r1') return 'ES384';
  throw new TypeError(`publicJwk: unsupported key type ${key.asymmetricKeyType ?? 'unknown'}`);
}

function toPublic(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}
