export { denyPolicyRoutes } from './deny-policy-routes.js';
export type { BlockingConditionDto } from './blocking-condition-dto.js';
