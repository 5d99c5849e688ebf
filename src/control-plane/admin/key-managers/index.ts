export { keyManagerAdminRoutes, ADMIN_KEY_MANAGERS } from './key-manager-routes.js';
export type { KeyManagerRoutesOptions } from './key-manager-routes.js';
