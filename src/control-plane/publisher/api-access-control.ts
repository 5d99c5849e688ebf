import { RestError } from '../../core/index.js';
import type { Caller } from '../auth/authenticate.js';
import { effectiveRoles, ROLES } from '../users/roles.js';
import type { ApiStoredFields } from './api-stored-fields.js';

/** Who a Publisher access check is about: the caller's roles and REST scopes. */
export type AccessCaller = Pick<Caller, 'username' | 'roles' | 'scopes'>;
type AccessFields = Pick<ApiStoredFields, 'accessControl' | 'accessControlRoles'>;

const lower = (s: string) => s.toLowerCase();

/** WSO2's `apim_admin` permission: the `admin` role, or a token carrying `apim:admin`. */
function isApimAdmin(caller: AccessCaller): boolean {
  return caller.roles.includes('admin') || caller.scopes.includes('apim:admin');
}

/** Whether the caller holds one of `roles` (WSO2 compares role names without case). */
function holdsOneOf(caller: AccessCaller, roles: readonly string[]): boolean {
  const held = new Set([...effectiveRoles(caller.roles)].map(lower));
  return roles.some((r) => held.has(lower(r)));
}

/**
 * Whether a Publisher user may see and change an API (WSO2 4.x `checkAccessControlPermission`): always when its
 * `accessControl` is NONE or names no role, for admins, and for holders of one of `accessControlRoles`.
 */
export function publisherMayAccess(api: AccessFields, caller: AccessCaller): boolean {
  if (api.accessControl !== 'RESTRICTED' || api.accessControlRoles.length === 0) return true;
  return isApimAdmin(caller) || holdsOneOf(caller, api.accessControlRoles);
}

/**
 * @throws RestError API_ACCESS_RESTRICTED (403) when {@link publisherMayAccess} is false. WSO2 answers
 * UN_AUTHORIZED_TO_VIEW_MODIFY_API here (not 404), so the API's existence is not hidden from a publisher.
 */
export function assertPublisherAccess(api: AccessFields & { id: string }, caller: AccessCaller): void {
  if (!publisherMayAccess(api, caller))
    throw new RestError(
      'API_ACCESS_RESTRICTED',
      `User ${caller.username} is not authorized to view or modify the api ${api.id}`,
    );
}

/**
 * Checks the access control an API is saved with (WSO2 `PublisherCommonUtils.validateUserRoles`): every role must
 * exist (built-in roles, their `Internal/` spellings, `[user_store] custom_roles`), and a non-admin must hold one of
 * them, so that no publisher locks itself out.
 * @throws RestError VALIDATION_FAILED (RESTRICTED with no role), INVALID_USER_ROLES (unknown role; none held).
 */
export function checkAccessControlInput(
  fields: AccessFields,
  caller: AccessCaller,
  customRoles: readonly string[],
): void {
  if (fields.accessControl !== 'RESTRICTED') return;
  if (fields.accessControlRoles.length === 0)
    throw new RestError(
      'VALIDATION_FAILED',
      "accessControlRoles: must name at least one role when accessControl is 'RESTRICTED'",
      [{ code: 'VALIDATION_FAILED', message: 'accessControlRoles: must not be empty' }],
    );
  const known = new Set(
    [...ROLES, ...ROLES.filter((r) => r !== 'admin').map((r) => `Internal/${r}`), 'Internal/everyone']
      .concat(customRoles)
      .map(lower),
  );
  const unknown = fields.accessControlRoles.filter((r) => !known.has(lower(r)));
  if (unknown.length > 0)
    throw new RestError(
      'INVALID_USER_ROLES',
      `Invalid user roles found in accessControlRole list: ${unknown.join(', ')}`,
    );
  if (!isApimAdmin(caller) && !holdsOneOf(caller, fields.accessControlRoles))
    throw new RestError(
      'INVALID_USER_ROLES',
      'This user does not have at least one role specified in API access control.',
    );
}
