export { internalSyncRoutes } from './internal-sync-routes.js';
