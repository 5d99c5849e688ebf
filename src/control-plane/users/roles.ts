/** Portico's roles (WSO2's Internal/subscriber, creator, publisher, admin). */
export const ROLES = ['admin', 'creator', 'publisher', 'subscriber'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Which roles may hold each REST scope (WSO2's RESTAPIScopes role bindings). A Basic-auth or session caller
 * has every scope its roles allow; a bearer token has the scopes it was granted, which the key manager
 * filtered through this same table when it issued the token.
 */
export const SCOPE_ROLES: Readonly<Record<string, readonly Role[]>> = {
  'apim:subscribe': ['admin', 'subscriber'],
  'apim:app_manage': ['admin', 'subscriber'],
  'apim:sub_manage': ['admin', 'subscriber'],
  'apim:api_key': ['admin', 'subscriber'],
  'apim:app_import_export': ['admin'],
  'apim:api_import_export': ['admin'],
  'apim:api_view': ['admin', 'creator', 'publisher'],
  'apim:api_create': ['admin', 'creator'],
  'apim:api_delete': ['admin', 'creator'],
  'apim:api_publish': ['admin', 'publisher'],
  'apim:api_manage': ['admin', 'creator', 'publisher'],
  'apim:subscription_view': ['admin', 'creator', 'publisher'],
  'apim:subscription_block': ['admin', 'publisher'],
  'apim:tier_view': ['admin', 'creator', 'publisher'],
  'apim:admin': ['admin'],
  'apim:admin_operations': ['admin'],
  'apim:tier_manage': ['admin'],
  'apim:admin_tier_view': ['admin'],
  'apim:keymanagers_manage': ['admin'],
  'apim:bl_manage': ['admin'],
  'apim:bl_view': ['admin'],
};

/** The REST scopes a set of roles allows. */
export function scopesForRoles(roles: readonly string[]): string[] {
  return Object.entries(SCOPE_ROLES)
    .filter(([, allowed]) => allowed.some((r) => roles.includes(r)))
    .map(([scope]) => scope);
}

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
