import {
  createHash,
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  randomUUID,
  sign,
  type KeyObject,
} from 'node:crypto';
import { TEST_CERT_PEM, TEST_KEY_PEM } from './test-certificate.js';
import { X509Certificate } from 'node:crypto';
import type { JsonWebKeyPublic } from '../../core/index.js';

/** The API-key signer of the tests (private key + certificate in the trust store as `gateway_certificate_alias`). */
export const apiKeySigner = {
  privateKey: createPrivateKey(TEST_KEY_PEM),
  certificate: new X509Certificate(TEST_CERT_PEM),
  certPem: TEST_CERT_PEM,
};

/** An RSA key pair for a test key manager, with its public JWK. */
export function keyManagerKeys(kid = 'km-key-1'): { privateKey: KeyObject; jwk: JsonWebKeyPublic } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
}

const b64url = (text: string): string => Buffer.from(text).toString('base64url');
/** Java `Base64.getUrlEncoder()` (padding kept), as WSO2 encodes API keys. */
const b64urlPadded = (buf: Buffer): string => buf.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** Signs `input` like a JWS `alg` would (RS*, PS256, HS256 with `key` as the HMAC secret). */
export function signJws(alg: string, key: KeyObject | Buffer, input: string): Buffer {
  if (alg.startsWith('HS'))
    return createHmac(`sha${alg.slice(2)}`, key as Buffer)
      .update(input)
      .digest();
  if (alg === 'none') return Buffer.alloc(0);
  return sign(`sha${alg.slice(2)}`, Buffer.from(input), key as KeyObject);
}

/** A standard (unpadded base64url) JWT access token. */
export function mintAccessToken(
  privateKey: KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', kid: 'km-key-1' },
): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(claims))}`;
  return `${input}.${signJws(String(header.alg), privateKey, input).toString('base64url')}`;
}

/** Options of {@link mintApiKey}. */
export interface ApiKeyOptions {
  alg?: string;
  kid?: string | null;
  typ?: string;
  /** Signing key; the HMAC secret for HS*. */
  key?: KeyObject | Buffer;
}

/** A WSO2-format API key: padded base64url segments, header `{x5t, kid, typ, alg}`. */
export function mintApiKey(claims: Record<string, unknown>, opts: ApiKeyOptions = {}): string {
  const alg = opts.alg ?? 'RS256';
  const x5t = b64urlPadded(
    Buffer.from(createHash('sha1').update(apiKeySigner.certificate.raw).digest('hex')),
  );
  const header: Record<string, unknown> = { x5t, typ: opts.typ ?? 'JWT', alg };
  if (opts.kid !== null) header.kid = opts.kid ?? 'gateway_certificate_alias';
  const input = `${b64urlPadded(Buffer.from(JSON.stringify(header)))}.${b64urlPadded(Buffer.from(JSON.stringify(claims)))}`;
  return `${input}.${b64urlPadded(signJws(alg, opts.key ?? apiKeySigner.privateKey, input))}`;
}

/** Lightweight (4.4+) API-key claims for application `appId`, issued at `nowSec`. */
export function lightweightClaims(appId: number, nowSec: number, extra: Record<string, unknown> = {}) {
  return {
    sub: 'admin@carbon.super',
    jti: randomUUID(),
    iss: 'https://localhost:9443/oauth2/token',
    iat: nowSec,
    application: { id: appId, uuid: `app-uuid-${appId}` },
    keytype: 'PRODUCTION',
    token_type: 'apiKey',
    ...extra,
  };
}
