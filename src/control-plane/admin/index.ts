export { throttlingPolicyRoutes } from './throttling-policy-routes.js';
export { gatewaysRoutes, createGatewayRegistry } from './gateways/index.js';
