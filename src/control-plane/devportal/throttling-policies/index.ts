export { tierPermissionInfo, tierPermissionOf, tierPermits } from './tier-permission.js';
export type { TierPermission } from './tier-permission.js';
export { throttlingPoliciesRoutes, throttlingPolicyDto } from './throttling-policies-routes.js';
