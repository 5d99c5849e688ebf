export { devportalApiBoundKeyRoutes } from './api-bound-key-routes.js';
