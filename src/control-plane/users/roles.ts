/** Portico's roles (WSO2's Internal/subscriber, creator, publisher, admin). */
export const ROLES = ['admin', 'creator', 'publisher', 'subscriber'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(r: string): r is Role {
  return (ROLES as readonly string[]).includes(r);
}

/**
 * A role name a user may hold: a built-in {@link Role} or an organisation's own role (`gold-partners`,
 * `Internal/partner`) that grants no REST scope but can be named by tier permissions and API visibility.
 */
export const ROLE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._@/-]{0,99}$';
const ROLE_NAME = new RegExp(ROLE_NAME_PATTERN);

export function isRoleName(r: unknown): r is string {
  return typeof r === 'string' && ROLE_NAME.test(r);
}

/**
 * The role names a caller holds for permission checks, with WSO2's spellings: every signed-in user holds
 * `Internal/everyone`, a built-in role `subscriber` also matches `Internal/subscriber` (admin stays `admin`),
 * and an anonymous caller (null) holds only `Internal/anonymous`.
 */
export function effectiveRoles(roles: readonly string[] | null): Set<string> {
  if (roles === null) return new Set(['Internal/anonymous']);
  const out = new Set([...roles, 'Internal/everyone']);
  for (const r of roles) if (isRole(r) && r !== 'admin') out.add(`Internal/${r}`);
  return out;
}
