export { throttlingPolicyRoutes } from './throttling-policy-routes.js';
export { gatewaysRoutes, createGatewayRegistry } from './gateways/index.js';
export { keyManagerAdminRoutes, ADMIN_KEY_MANAGERS } from './key-managers/index.js';
export type { KeyManagerRoutesOptions } from './key-managers/index.js';
export { adminRouteModules } from './admin-routes.js';
