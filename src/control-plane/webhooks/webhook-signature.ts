import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header that carries the signature: `Portico-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256>`. */
export const SIGNATURE_HEADER = 'portico-signature';

/**
 * The `Portico-Signature` value of `body` sent at `unixSeconds`: HMAC-SHA-256 under the endpoint's secret (the
 * whole `whsec_...` string, as UTF-8) over `<unixSeconds>.<body>`, hex.
 * @example signatureHeader('whsec_abc', 1767225600, '{"id":"..."}') // 't=1767225600,v1=5f2b...'
 */
export function signatureHeader(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, unixSeconds, body)}`;
}

/**
 * Verifies a `Portico-Signature` header the way a receiver should (docs/webhooks.md): the timestamp within
 * `toleranceS` of `nowS`, and one `v1` equal, compared in constant time. Exported for tests and as the reference.
 */
export function verifySignature(
  secret: string,
  header: string,
  body: string,
  nowS: number,
  toleranceS = 300,
): boolean {
  const parts = header.split(',').map((p) => p.trim().split('='));
  const t = parts.find(([k]) => k === 't')?.[1];
  if (t === undefined || !/^\d{1,12}$/.test(t) || Math.abs(nowS - Number(t)) > toleranceS) return false;
  const expected = Buffer.from(hmacHex(secret, Number(t), body), 'hex');
  return parts.some(([k, v]) => {
    if (k !== 'v1' || v === undefined || !/^[0-9a-f]{64}$/.test(v)) return false;
    return timingSafeEqual(Buffer.from(v, 'hex'), expected);
  });
}

const hmacHex = (secret: string, t: number, body: string) =>
  createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
