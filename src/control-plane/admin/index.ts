export { throttlingPolicyRoutes } from './throttling-policy-routes.js';
