export { trustStoreRoutes } from './trust-store-routes.js';
