import { devportalUsageRoutes } from '../analytics/index.js';
import type { RouteModule } from '../create-control-plane.js';
import { devportalApiBoundKeyRoutes, devportalApiKeyAssociationRoutes } from './api-bound-keys/index.js';
import { devportalApiKeyRoutes } from './api-keys/index.js';
import { devportalApiRoutes } from './apis/index.js';
import { registerApplicationProjectRoutes } from './application-projects/index.js';
import { applicationsRoutes } from './applications/applications-routes.js';
import { keyManagersRoutes } from './key-managers/key-managers-routes.js';
import { clientSecretsRoutes } from './keys/client-secrets-routes.js';
import { keyTokenRoutes } from './keys/key-token-routes.js';
import { keysRoutes } from './keys/keys-routes.js';
import { devportalSubscriptionRoutes } from './subscriptions/index.js';
import { throttlingPoliciesRoutes } from './throttling-policies/throttling-policies-routes.js';

/** The Developer Portal REST API (`/api/am/devportal/v3`): every route module, in registration order. */
export const devportalRouteModules: readonly RouteModule[] = [
  // Static /applications/export and /applications/import next to the /applications/:applicationId family.
  registerApplicationProjectRoutes,
  applicationsRoutes,
  keysRoutes,
  keyTokenRoutes,
  clientSecretsRoutes,
  keyManagersRoutes,
  throttlingPoliciesRoutes,
  devportalApiRoutes,
  devportalSubscriptionRoutes,
  devportalApiKeyRoutes,
  devportalApiBoundKeyRoutes,
  devportalApiKeyAssociationRoutes,
  devportalUsageRoutes,
];
