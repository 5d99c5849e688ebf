export { internalSyncRoutes } from './internal-sync-routes.js';
export { internalUsageRoutes } from './internal-usage-routes.js';
