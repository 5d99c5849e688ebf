import { randomBytes, randomUUID } from 'node:crypto';

/** A random UUID v4 (application ids, API ids, jti). */
export const newUuid = (): string => randomUUID();

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';

/**
 * A WSO2-looking OAuth client credential: 28 characters of `[A-Za-z0-9_]` ending in `a`
 * (e.g. `vYDoc9s7IgAFdkSyNDaswBX7ejoa`). 27 random characters carry ~161 bits.
 */
export function newClientCredential(): string {
  const bytes = randomBytes(27);
  let out = '';
  for (const b of bytes) out += ALNUM[b % 63];
  return `${out}a`;
}
