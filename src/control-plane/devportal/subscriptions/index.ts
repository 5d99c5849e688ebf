export { devportalSubscriptionRoutes } from './subscription-routes.js';
