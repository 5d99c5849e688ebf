export { devportalApiRoutes } from './apis/index.js';
export { devportalSubscriptionRoutes } from './subscriptions/index.js';
