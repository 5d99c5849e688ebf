import { createHmac, hkdfSync, randomBytes, timingSafeEqual, type KeyObject } from 'node:crypto';

/** How long a browser session lives (WSO2's portals use a comparable working-day session). */
export const SESSION_TTL_MS = 8 * 60 * 60 * 1000;

/** The claims a session token carries. */
export interface SessionClaims {
  /** User name. */
  u: string;
  /** Expiry, epoch ms. */
  e: number;
  /** Random session id (revocation handle). */
  i: string;
}

/**
 * Derives the HMAC key for session tokens from the primary private key (HKDF-SHA256 over its PKCS#8 DER), so
 * every control plane sharing the keystore accepts the same sessions, across restarts.
 * @throws Error when the key cannot be exported (a non-extractable key object).
 */
export function deriveSessionKey(privateKey: KeyObject): Buffer {
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  return Buffer.from(hkdfSync('sha256', der, 'portico', 'portico-web-session-v1', 32));
}

const mac = (key: Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** Issues a signed token for `username`, valid for {@link SESSION_TTL_MS} from `now`. */
export function issueSessionToken(
  key: Buffer,
  username: string,
  now: number,
): { token: string; claims: SessionClaims } {
  const claims: SessionClaims = {
    u: username,
    e: now + SESSION_TTL_MS,
    i: randomBytes(16).toString('base64url'),
  };
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return { token: `${body}.${mac(key, `s.${body}`).toString('base64url')}`, claims };
}

/** The claims of a token whose signature is valid and which has not expired at `now`, else null. Never throws. */
export function verifySessionToken(key: Buffer, token: string, now: number): SessionClaims | null {
  const dot = token.indexOf('.');
  if (dot <= 0 || token.length > 2048) return null;
  const body = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const expected = mac(key, `s.${body}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const c = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<SessionClaims>;
    if (typeof c.u !== 'string' || typeof c.e !== 'number' || typeof c.i !== 'string') return null;
    if (c.e <= now) return null;
    return { u: c.u, e: c.e, i: c.i };
  } catch {
    return null;
  }
}

/**
 * The CSRF token of a session: bound to the session id, so a cookie planted by another site cannot be paired
 * with a forged header (double-submit alone would accept any equal pair).
 */
export function csrfTokenFor(key: Buffer, sessionId: string): string {
  return mac(key, `c.${sessionId}`).toString('base64url');
}

/** Constant-time string comparison. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
