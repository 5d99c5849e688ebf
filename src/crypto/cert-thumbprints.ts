import { createHash, type X509Certificate } from 'node:crypto';
import { b64url, b64urlPadded } from './jws/base64-strict.js';
import type { JwsAlgorithm } from './jws/jws-algorithm.js';

/**
 * WSO2's certificate thumbprint header (`x5t`, or `x5t#S256` with sha256): base64url-padded of the LOWER-CASE HEX
 * string of the DER digest, not of the digest bytes (`APIUtil.hexify`, wso2-compat.md §2.2).
 * @example x5tOfCert(cert, 'sha1') // 'ZjRmYTMwNTJj...Zg==' decodes to 'f4fa3052c9...'
 */
export function x5tOfCert(cert: X509Certificate, alg: 'sha1' | 'sha256' = 'sha1'): string {
  return b64urlPadded(createHash(alg).update(cert.raw).digest('hex'));
}

/**
 * The `kid` WSO2 4.x puts in its access tokens: base64url (unpadded) of the hex SHA-256 of the certificate,
 * then `_` and the algorithm (`OAuth2Util.getKID`).
 */
export function kidForCert(cert: X509Certificate, alg: JwsAlgorithm = 'RS256'): string {
  return `${b64url(createHash('sha256').update(cert.raw).digest('hex'))}_${alg}`;
}
