import { adminUsageRoutes } from '../analytics/index.js';
import { auditRoutes } from '../audit/index.js';
import { webhookRoutes } from '../webhooks/index.js';
import type { RouteModule } from '../create-control-plane.js';
import { denyPolicyRoutes } from './deny-policies/index.js';
import { gatewaysRoutes } from './gateways/index.js';
import { keyManagerAdminRoutes, type KeyManagerRoutesOptions } from './key-managers/index.js';
import { throttlingPolicyRoutes } from './throttling-policy-routes.js';
import { trustStoreRoutes } from './trust-store/index.js';
import { systemScopeRoutes } from '../scopes/system-scope-routes.js';

/** The Admin REST API (`/api/am/admin/v4`): every route module, in registration order. */
export function adminRouteModules(opts: KeyManagerRoutesOptions = {}): RouteModule[] {
  return [
    throttlingPolicyRoutes,
    keyManagerAdminRoutes(opts),
    gatewaysRoutes,
    denyPolicyRoutes,
    trustStoreRoutes,
    auditRoutes,
    adminUsageRoutes,
    systemScopeRoutes,
    webhookRoutes,
  ];
}
