export { devportalApiRoutes } from './devportal-api-routes.js';
export { devportalApiInfo, visibleApiOr404, devportalPolicy } from './devportal-api-view.js';
