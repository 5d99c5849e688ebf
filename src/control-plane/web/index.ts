export { webRoutes, contentSecurityPolicy, DEFAULT_WEB_DIST, PORTALS } from './web-routes.js';
export type { WebRoutesOptions } from './web-routes.js';
