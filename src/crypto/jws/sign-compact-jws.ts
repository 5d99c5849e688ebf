import { sign, type KeyObject } from 'node:crypto';
import { b64url, b64urlPadded } from './base64-strict.js';
import { jwsSignOptions, type JwsAlgorithm } from './jws-algorithm.js';

/** Input of {@link signCompactJws}. */
export interface SignCompactJwsInput {
  /**
   * Header claims in the order they should appear, or the exact JSON text. `alg` is appended when absent and must
   * equal `alg` when present.
   */
  header: Record<string, unknown> | string;
  /** Claims, or the exact JSON text (e.g. with json-smart's `\/` escaping). */
  payload: Record<string, unknown> | string;
  privateKey: KeyObject;
  alg: JwsAlgorithm;
  /** `true`: WSO2 style, every segment `=`-padded (Java's URL encoder); `false`: RFC 7515 compact serialization. */
  padded: boolean;
}

/**
 * Signs a compact JWS; the signing input is the literal (padded or not) header and payload segments.
 * Throws a `TypeError` on programmer errors only: a key that does not fit `alg`, a header `alg` that disagrees.
 * @example
 * const apiKey = signCompactJws({ header: { x5t: x5tOfCert(cert), kid: 'gateway_certificate_alias', typ: 'JWT' },
 *   payload: claims, privateKey: ks.privateKey(), alg: 'RS256', padded: true });
 */
export function signCompactJws(input: SignCompactJwsInput): string {
  const opts = jwsSignOptions(input.alg, input.privateKey);
  if (!opts) throw new TypeError(`signCompactJws: the private key cannot sign ${input.alg}`);
  let headerJson: string;
  if (typeof input.header === 'string') {
    headerJson = input.header;
    if ((JSON.parse(headerJson) as { alg?: unknown }).alg !== input.alg) {
      throw new TypeError(`signCompactJws: header JSON must carry "alg":"${input.alg}"`);
    }
  } else {
    if (input.header.alg !== undefined && input.header.alg !== input.alg) {
      throw new TypeError(`signCompactJws: header alg ${String(input.header.alg)} differs from ${input.alg}`);
    }
    headerJson = JSON.stringify({ ...input.header, alg: input.alg });
  }
  const payloadJson = typeof input.payload === 'string' ? input.payload : JSON.stringify(input.payload);
  const enc = input.padded ? b64urlPadded : b64url;
  const signingInput = `${enc(headerJson)}.${enc(payloadJson)}`;
  const signature = sign(opts.hash, Buffer.from(signingInput, 'latin1'), {
    key: input.privateKey,
    ...(opts.padding !== undefined ? { padding: opts.padding, saltLength: opts.saltLength } : {}),
    ...(opts.dsaEncoding ? { dsaEncoding: opts.dsaEncoding } : {}),
  });
  return `${signingInput}.${enc(signature)}`;
}
