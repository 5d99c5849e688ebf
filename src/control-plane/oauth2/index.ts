export { oauth2Routes } from './oauth2-routes.js';
export { oauth2TokenRoutes } from './oauth2-token-routes.js';
export { oauth2DiscoveryRoutes } from './discovery-routes.js';
export { clientRegistrationRoutes } from './client-registration-routes.js';
export { accessTokenVerifier, residentKeyManagerOf } from './resident-key-manager-of.js';
