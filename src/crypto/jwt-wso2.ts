import { createHash, createPublicKey, sign, verify, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { jwsSignOptions } from './jws-algorithm.js';
import type { JwsAlgorithm } from './jws-algorithm.js';

/**
 * Base64url WITH `=` padding, like Java's `Base64.getUrlEncoder()`: the encoding WSO2 uses for every segment of
 * its API-key JWTs (wso2-compat.md §2.1). Not RFC 7515 compliant on purpose.
 */
export function b64urlPadded(data: Buffer | string): string {
  return Buffer.from(data).toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
}

/** Base64url without padding (RFC 7515). */
export function b64url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

const B64URL = /^[A-Za-z0-9_-]*(={0,2})$/;

/**
 * Decodes base64url with or without `=` padding (WSO2 tokens pad, RFC 7515 tokens do not).
 * Returns `undefined` for anything else: other characters, a wrong amount of padding, an impossible length.
 */
export function b64urlDecodeLenient(str: string): Buffer | undefined {
  const m = B64URL.exec(str);
  if (!m) return undefined;
  const pad = m[1]?.length ?? 0;
  if (pad > 0 && str.length % 4 !== 0) return undefined;
  if ((str.length - pad) % 4 === 1) return undefined;
  return Buffer.from(str.slice(0, str.length - pad), 'base64url');
}

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

/** Input of {@link signWso2Jwt}. */
export interface SignWso2JwtInput {
  /**
   * Header claims in the order they should appear, or the exact JSON text. `alg` is appended when absent and must
   * equal `alg` when present.
   */
  header: Record<string, unknown> | string;
  /** Claims, or the exact JSON text (e.g. with json-smart's `\/` escaping). */
  payload: Record<string, unknown> | string;
  privateKey: KeyObject;
  alg: JwsAlgorithm;
  /** `true`: WSO2 style, every segment `=`-padded; `false`: RFC 7515 compact serialization. */
  padded: boolean;
}

/**
 * Signs a compact JWS; the signing input is the literal (padded or not) header and payload segments.
 * Throws a `TypeError` on programmer errors only: a key that does not fit `alg`, a header `alg` that disagrees.
 * @example
 * const apiKey = signWso2Jwt({ header: { x5t: x5tOfCert(cert), kid: 'gateway_certificate_alias', typ: 'JWT' },
 *   payload: claims, privateKey: ks.privateKey(), alg: 'RS256', padded: true });
 */
export function signWso2Jwt(input: SignWso2JwtInput): string {
  const opts = jwsSignOptions(input.alg, input.privateKey);
  if (!opts) throw new TypeError(`signWso2Jwt: the private key cannot sign ${input.alg}`);
  let headerJson: string;
  if (typeof input.header === 'string') {
    headerJson = input.header;
    if ((JSON.parse(headerJson) as { alg?: unknown }).alg !== input.alg) {
      throw new TypeError(`signWso2Jwt: header JSON must carry "alg":"${input.alg}"`);
    }
  } else {
    if (input.header.alg !== undefined && input.header.alg !== input.alg) {
      throw new TypeError(`signWso2Jwt: header alg ${String(input.header.alg)} differs from ${input.alg}`);
    }
    headerJson = JSON.stringify({ ...input.header, alg: input.alg });
  }
  const payloadJson = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
  const enc = input.padded ? b64urlPadded : b64url;
  const signingInput = `${enc(headerJson)}.${enc(payloadJson)}`;
  const signature = sign(opts.hash, Buffer.from(signingInput, 'ascii'), {
    key: input.privateKey,
    ...(opts.dsaEncoding ? { dsaEncoding: opts.dsaEncoding } : {}),
  });
  return `${signingInput}.${enc(signature)}`;
}

/** The three segments of a compact JWS, exactly as received. */
export interface JwsParts {
  header: string;
  payload: string;
  signature: string;
}

/** Splits a compact JWS into its three segments, or `undefined` when it does not have exactly three. */
export function splitJws(token: string): JwsParts | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header, payload, signature] = parts as [string, string, string];
  return { header, payload, signature };
}

/**
 * Decodes a JWS segment (padded or not) as a JSON object; `undefined` when it is not base64url of a JSON object.
 */
export function decodeJwsSegment(segment: string): Record<string, unknown> | undefined {
  const bytes = b64urlDecodeLenient(segment);
  if (!bytes) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Verifies the signature of a compact JWS over its literal `header.payload` segments (padded WSO2 tokens too).
 * Synchronous, no allocation beyond the decode: meant for the gateway hot path. Returns `false`, never throws, for
 * a bad signature, a malformed segment, an algorithm outside {@link JwsAlgorithm} (`none`, `HS256`...) or a key that
 * does not fit `alg`. The caller must check that the header's `alg` is the one it expects.
 */
export function verifyJwsSignature(
  token: JwsParts | string,
  key: KeyObject | X509Certificate,
  alg: JwsAlgorithm,
): boolean {
  const parts = typeof token === 'string' ? splitJws(token) : token;
  if (!parts) return false;
  const publicKey = key instanceof X509Certificate ? key.publicKey : toPublic(key);
  const opts = jwsSignOptions(alg, publicKey);
  if (!opts) return false;
  const signature = b64urlDecodeLenient(parts.signature);
  if (!signature || signature.length === 0) return false;
  try {
    return verify(
      opts.hash,
      Buffer.from(`${parts.header}.${parts.payload}`, 'ascii'),
      { key: publicKey, ...(opts.dsaEncoding ? { dsaEncoding: opts.dsaEncoding } : {}) },
      signature,
    );
  } catch {
    return false;
  }
}

function toPublic(key: KeyObject): KeyObject {
  return key.type === 'private' ? createPublicKey(key) : key;
}
