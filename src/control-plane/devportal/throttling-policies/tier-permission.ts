import type { ThrottlingPolicyRow } from '../../../store/index.js';
import type { Caller } from '../../auth/authenticate.js';
import { effectiveRoles } from '../../users/roles.js';

/** A subscription tier's `permissions` as the admin API stores them (WSO2 `SubscriptionThrottlePolicyPermission`). */
export interface TierPermission {
  permissionType: 'ALLOW' | 'DENY';
  roles: string[];
}

/** The stored `permissions` of a subscription tier; null when the tier is open to everyone. */
export function tierPermissionOf(row: ThrottlingPolicyRow): TierPermission | null {
  const p = (JSON.parse(row.definition) as { permissions?: TierPermission | null }).permissions;
  return p && (p.permissionType === 'ALLOW' || p.permissionType === 'DENY') ? p : null;
}

/**
 * Whether `caller` (null = anonymous) may use a subscription tier: ALLOW needs one of the roles, DENY refuses
 * holders of any of them (WSO2 semantics, `Internal/everyone` and `Internal/subscriber` spellings included).
 * There is no admin bypass: an admin subscribing is a consumer like any other, as in WSO2.
 */
export function tierPermits(row: ThrottlingPolicyRow, caller: Caller | null): boolean {
  const permission = tierPermissionOf(row);
  if (!permission) return true;
  const held = effectiveRoles(caller ? caller.roles : null);
  const holdsOne = permission.roles.some((r) => held.has(r));
  return permission.permissionType === 'ALLOW' ? holdsOne : !holdsOne;
}

/** The Developer Portal's `throttlingPolicyPermissions` of a tier (lower-case type, as WSO2 answers). */
export function tierPermissionInfo(row: ThrottlingPolicyRow) {
  const p = tierPermissionOf(row);
  return p ? { type: p.permissionType === 'ALLOW' ? 'allow' : 'deny', roles: [...p.roles] } : null;
}
