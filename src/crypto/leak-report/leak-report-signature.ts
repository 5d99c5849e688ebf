import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { decodeBase64Strict, type Base64Variant } from '../jws/base64-strict.js';

/** A public key leak reports may be signed with, by the identifier reporters send with the signature. */
export interface LeakReporterKey {
  readonly id: string;
  readonly key: KeyObject;
}

/**
 * Why a leak report's signature is refused: `missing` (no identifier or no signature header), `unknown-key` (no
 * configured key has that identifier), `malformed` (the signature is not canonical base64 of at most
 * {@link MAX_SIGNATURE_BYTES} bytes), `mismatch` (it does not verify over the body).
 */
export type LeakSignatureRefusal = 'missing' | 'unknown-key' | 'malformed' | 'mismatch';

export type LeakSignatureVerdict =
  | { readonly valid: true; readonly keyId: string }
  | { readonly valid: false; readonly reason: LeakSignatureRefusal };

/** A DER ECDSA P-256 signature is at most 72 bytes; anything longer is not one. */
export const MAX_SIGNATURE_BYTES = 72;
const STD_PADDED: Base64Variant = Object.freeze({ alphabet: 'std', padded: true });

/**
 * Imports the configured reporter keys (`[apim.devportal.leak_report] public_keys`): each must be an EC P-256
 * public key in PEM, and identifiers must be unique.
 * @throws Error naming the key identifier when a key is not an EC P-256 public key or an identifier repeats (a
 * configuration error, raised at start)
 * @example const keys = leakReporterKeys([{ id: 'github-1', pem }]);
 */
export function leakReporterKeys(
  entries: readonly { readonly id: string; readonly pem: string }[],
): LeakReporterKey[] {
  const seen = new Set<string>();
  return entries.map(({ id, pem }) => {
    if (seen.has(id)) throw new Error(`leak_report.public_keys: key id ${id} is given twice`);
    seen.add(id);
    let key: KeyObject;
    try {
      key = createPublicKey(pem);
    } catch {
      throw new Error(`leak_report.public_keys: key ${id} is not a PEM public key`);
    }
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new Error(`leak_report.public_keys: key ${id} is not an EC P-256 public key`);
    }
    return { id, key };
  });
}

/**
 * Checks a leak report the GitHub secret-scanning way: `signature` (header `Github-Public-Key-Signature`) is the
 * base64 of a DER ECDSA P-256 / SHA-256 signature over the exact `body` bytes, made with the key whose identifier
 * is `keyId` (header `Github-Public-Key-Identifier`). Only canonical base64 is accepted (one spelling per
 * signature). Never throws.
 */
export function verifyLeakReportSignature(
  keys: readonly LeakReporterKey[],
  keyId: string | undefined,
  signature: string | undefined,
  body: Buffer,
): LeakSignatureVerdict {
  if (!keyId || !signature) return { valid: false, reason: 'missing' };
  const reporter = keys.find((k) => k.id === keyId);
  if (!reporter) return { valid: false, reason: 'unknown-key' };
  if (signature.length > 4 * Math.ceil(MAX_SIGNATURE_BYTES / 3)) return { valid: false, reason: 'malformed' };
  const der = decodeBase64Strict(signature, STD_PADDED);
  if (!der || der.length === 0) return { valid: false, reason: 'malformed' };
  let ok = false;
  try {
    ok = verify('sha256', body, { key: reporter.key, dsaEncoding: 'der' }, der);
  } catch {
    ok = false;
  }
  return ok ? { valid: true, keyId: reporter.id } : { valid: false, reason: 'mismatch' };
}
