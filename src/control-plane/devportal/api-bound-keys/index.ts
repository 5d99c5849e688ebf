export { devportalApiBoundKeyRoutes } from './api-bound-key-routes.js';
export { devportalApiKeyAssociationRoutes } from './application-key-association-routes.js';
