export { gatewaysRoutes } from './gateways-routes.js';
export { createGatewayRegistry, STALE_AFTER_MS } from './gateway-registry.js';
export type { GatewayInfo, Enforcement, GatewayRegistry } from './gateway-registry.js';
