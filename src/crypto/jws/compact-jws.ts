import { X509Certificate, createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, JOSE_BASE64, type Base64Variant } from './base64-strict.js';
import { isJwsAlgorithm, jwsSignOptions, type JwsAlgorithm } from './jws-algorithm.js';

/**
 * How the segments of a compact JWS may be encoded.
 * - `jose`: RFC 7515 — base64url, no padding. OAuth2 access tokens (ours and external key managers').
 * - `wso2`: WSO2 API keys — Java's `Base64.getUrlEncoder()` pads every segment with `=`; the standard `+/` alphabet
 *   and unpadded segments are accepted too, but one alphabet and one padding rule for the whole token, decided by
 *   the signed header and payload, so the unsigned signature segment has exactly one accepted spelling. When the
 *   header and payload need no padding, the token is taken as padded (Java always pads).
 */
export type JwsProfile = 'jose' | 'wso2';

/** A verified-shape compact JWS. `signingInput` is the literal `header.payload` text that was signed. */
export interface CompactJws {
  readonly alg: JwsAlgorithm;
  readonly header: Readonly<Record<string, unknown>>;
  readonly payload: Record<string, unknown>;
  readonly signingInput: string;
  readonly signature: Buffer;
}

/**
 * Why a credential is not a compact JWS Portico accepts: `format` (not exactly three non-empty segments, too long),
 * `encoding` (a segment outside the profile's base64), `json` (header or payload not a UTF-8 JSON object),
 * `header` (`alg` outside {@link JwsAlgorithm} — `none`, `HS256`, `None`... — or a `crit`/`b64` extension, which
 * Portico does not implement and RFC 7515 §4.1.11 says must then be refused).
 */
export type JwsRejection = 'format' | 'encoding' | 'json' | 'header';

/** Longest credential Portico decodes (a full-claims WSO2 key with many subscriptions stays well below). */
export const MAX_JWS_LENGTH = 16 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Splits and decodes a compact JWS strictly: exactly three non-empty segments, each in exactly one spelling of its
 * bytes (see {@link JwsProfile}), header and payload UTF-8 JSON objects, an accepted `alg`, no `crit`. The signature
 * is NOT checked here ({@link verifyCompactJws}).
 * @example
 * const jws = decodeCompactJws(token, 'jose');
 * if (typeof jws === 'string') return refuse(jws); // 'format' | 'encoding' | 'json' | 'header'
 */
export function decodeCompactJws(token: string, profile: JwsProfile): CompactJws | JwsRejection {
  if (token.length > MAX_JWS_LENGTH) return 'format';
  const first = token.indexOf('.');
  const second = first < 0 ? -1 : token.indexOf('.', first + 1);
  if (first <= 0 || second <= first + 1 || second === token.length - 1) return 'format';
  if (token.indexOf('.', second + 1) >= 0) return 'format';
  const h = token.slice(0, first);
  const p = token.slice(first + 1, second);
  const variant = profile === 'jose' ? JOSE_BASE64 : wso2Variant(h, p);
  if (variant === undefined) return 'encoding';
  const headerBytes = decodeBase64Strict(h, variant);
  const payloadBytes = headerBytes && decodeBase64Strict(p, variant);
  const signature = payloadBytes && decodeBase64Strict(token.slice(second + 1), variant);
  if (!headerBytes || !payloadBytes || !signature) return 'encoding';
  const header = jsonObject(headerBytes);
  const payload = header && jsonObject(payloadBytes);
  if (!header || !payload) return 'json';
  const alg = header.alg;
  if (!isJwsAlgorithm(alg) || header.crit !== undefined || header.b64 !== undefined) return 'header';
  return { alg, header, payload, signingInput: token.slice(0, second), signature };
}

/**
 * Verifies the signature of a decoded JWS with `key` (a public or private key, or a certificate). Synchronous:
 * meant for the gateway hot path. `false`, never a throw, for a bad signature or a key that does not fit the
 * token's `alg` (an RSA key for ES256, a P-384 key for ES256...).
 */
export function verifyCompactJws(jws: CompactJws, key: KeyObject | X509Certificate): boolean {
  const publicKey =
    key instanceof X509Certificate ? key.publicKey : key.type === 'private' ? createPublicKey(key) : key;
  const opts = jwsSignOptions(jws.alg, publicKey);
  if (!opts) return false;
  try {
    return verify(
      opts.hash,
      Buffer.from(jws.signingInput, 'latin1'),
      {
        key: publicKey,
        ...(opts.padding !== undefined ? { padding: opts.padding, saltLength: opts.saltLength } : {}),
        ...(opts.dsaEncoding ? { dsaEncoding: opts.dsaEncoding } : {}),
      },
      jws.signature,
    );
  } catch {
    return false;
  }
}

/**
 * The registered time claims of a payload, checked: each absent or a finite number. `undefined` when one is
 * present but not a number (a string `exp` is a malformed token, not a token without expiry).
 */
export function timeClaims(
  payload: Readonly<Record<string, unknown>>,
): { exp: number | null; nbf: number | null; iat: number | null } | undefined {
  const read = (v: unknown): number | null | undefined =>
    v === undefined ? null : typeof v === 'number' && Number.isFinite(v) ? v : undefined;
  const exp = read(payload.exp);
  const nbf = read(payload.nbf);
  const iat = read(payload.iat);
  if (exp === undefined || nbf === undefined || iat === undefined) return undefined;
  return { exp, nbf, iat };
}

/**
 * Whether a token with these time claims is valid at `nowSeconds` with `skewSeconds` of clock tolerance:
 * not after `exp + skew`, not before `nbf - skew`.
 */
export function withinValidity(
  claims: { exp: number | null; nbf: number | null },
  nowSeconds: number,
  skewSeconds: number,
): boolean {
  if (claims.exp !== null && nowSeconds > claims.exp + skewSeconds) return false;
  if (claims.nbf !== null && nowSeconds < claims.nbf - skewSeconds) return false;
  return true;
}

const STD_CHARS = /[+/]/;
const URL_CHARS = /[-_]/;

function wso2Variant(header: string, payload: string): Base64Variant | undefined {
  const std = STD_CHARS.test(header) || STD_CHARS.test(payload);
  if (std && (URL_CHARS.test(header) || URL_CHARS.test(payload))) return undefined;
  const padded =
    header.includes('=') || payload.includes('=') || (header.length % 4 === 0 && payload.length % 4 === 0);
  return { alphabet: std ? 'std' : 'url', padded };
}

function jsonObject(bytes: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(utf8.decode(bytes));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
