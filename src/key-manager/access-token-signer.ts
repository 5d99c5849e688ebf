import { createHash, sign as signAsync, type KeyObject, type X509Certificate } from 'node:crypto';
import {
  b64url,
  decodeCompactJws,
  kidForCert,
  publicJwk,
  timeClaims,
  verifyCompactJws,
  type PublicJwk,
} from '../crypto/index.js';

/**
 * Claims of a resident key manager access token, in WSO2 4.x order (wso2-compat.md §5.3). Wire contract:
 * change docs and test/conformance/oauth2-openid-client.test.ts together.
 */
export interface AccessTokenClaims {
  sub: string;
  aut: 'APPLICATION' | 'APPLICATION_USER';
  aud: string;
  nbf: number;
  azp: string;
  scope: string;
  iss: string;
  /** Absent for tokens that never expire (negative validity). */
  exp?: number;
  iat: number;
  jti: string;
  client_id: string;
}

/** Signs and verifies RS256 access tokens with the primary key. */
export interface AccessTokenSigner {
  readonly kid: string;
  readonly x5t: string;
  /** The public JWK served on `/oauth2/jwks`. */
  readonly jwk: PublicJwk;
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Checks the signature (and that the header names our key); returns the claims or null. Expiry is the caller's. */
  verify(token: string): AccessTokenClaims | null;
}

/**
 * Header `{x5t, kid, alg}` like WSO2 4.x (no `typ`): `x5t` = unpadded base64url of the hex SHA-1 of the certificate,
 * `kid` = `kidForCert` (hex SHA-256 + `_RS256`). Signing runs on libuv's thread pool (node:crypto async sign) so
 * the event loop keeps serving requests while RSA works.
 */
export function createAccessTokenSigner(key: {
  privateKey: KeyObject;
  certificate: X509Certificate;
}): AccessTokenSigner {
  const kid = kidForCert(key.certificate, 'RS256');
  const x5t = b64url(createHash('sha1').update(key.certificate.raw).digest('hex'));
  const headerSegment = b64url(JSON.stringify({ x5t, kid, alg: 'RS256' }));
  const publicKey = key.certificate.publicKey;
  return {
    kid,
    x5t,
    jwk: publicJwk(key.certificate, kid, 'RS256'),
    sign(claims) {
      const input = `${headerSegment}.${b64url(JSON.stringify(claims))}`;
      return new Promise((resolve, reject) => {
        signAsync('sha256', Buffer.from(input), key.privateKey, (err, sig) => {
          if (err) reject(err);
          else resolve(`${input}.${sig.toString('base64url')}`);
        });
      });
    },
    verify(token) {
      // The one strict decoder: a token is ours only in the exact spelling we issued.
      const jws = decodeCompactJws(token, 'jose');
      if (typeof jws === 'string' || jws.alg !== 'RS256') return null;
      if (jws.header.kid !== undefined && jws.header.kid !== kid) return null;
      if (!verifyCompactJws(jws, publicKey)) return null;
      return isClaims(jws.payload) ? jws.payload : null;
    },
  };
}

function isClaims(v: unknown): v is AccessTokenClaims {
  if (typeof v !== 'object' || v === null) return false;
  const c = v as Record<string, unknown>;
  return (
    typeof c.sub === 'string' &&
    typeof c.jti === 'string' &&
    typeof c.iat === 'number' &&
    typeof c.iss === 'string' &&
    typeof c.azp === 'string' &&
    typeof c.scope === 'string' &&
    typeof c.nbf === 'number' &&
    timeClaims(c) !== undefined
  );
}
