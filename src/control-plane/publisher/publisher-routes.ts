import type { RouteModule } from '../create-control-plane.js';
import { callerOf } from '../auth/authenticate.js';
import { RestError } from '../../core/index.js';
import { registerApiProjectRoutes } from './api-projects/index.js';
import { BASE, registerApiRoutes } from './api-routes.js';
import { deploySample } from './deploy-sample.js';
import { publisherAccessGuard } from './publisher-access-guard.js';
import { registerOpenApiRoutes } from './openapi-routes.js';
import { registerPublisherSubscriptionRoutes } from './publisher-subscription-routes.js';
import { publisherUsageRoutes } from '../analytics/usage-routes.js';
import { registerRevisionRoutes } from './revision-routes.js';
import { sharedScopeRoutes } from '../scopes/shared-scope-routes.js';

export interface PublisherRoutesOptions {
  /** Backend URL of the PizzaShack sample; default {@link defaultSampleBackendUrl}. */
  sampleBackendUrl?: string;
}

/**
 * The Publisher REST API v4 (`/api/am/publisher/v4`): APIs, OpenAPI definitions, lifecycle, revisions,
 * deployments, subscriptions (block/unblock), and `POST /apis/deploy-sample` (PizzaShack in one call).
 * @example const cp = await createControlPlane(ctx, [publisherRoutes({ sampleBackendUrl })]);
 */
export function publisherRoutes(opts: PublisherRoutesOptions = {}): RouteModule {
  return (app, ctx) => {
    // Registered before /apis/:apiId routes read it; Fastify prefers the static segment anyway.
    app.post(
      `${BASE}/apis/deploy-sample`,
      { config: { scopes: ['apim:api_create'], body: 'none' } },
      async (req, reply) => {
        const caller = callerOf(req);
        if (!caller.scopes.includes('apim:api_publish'))
          throw new RestError(
            'INSUFFICIENT_SCOPE',
            'Deploying the sample needs apim:api_create and apim:api_publish',
          );
        const { api, created } = await deploySample(ctx, {
          sampleBackendUrl: opts.sampleBackendUrl,
          caller,
        });
        return reply
          .status(created ? 201 : 200)
          .header('location', `${BASE}/apis/${api.id}`)
          .send(api);
      },
    );
    // Static /apis/export and /apis/import before the /apis/:apiId family (Fastify prefers them anyway).
    // Every operation on one API (`/apis/{apiId}/...`) honours its accessControl before it runs.
    app.addHook('preHandler', publisherAccessGuard(ctx, `${BASE}/apis/:apiId`));
    registerApiProjectRoutes(app, ctx);
    registerApiRoutes(app, ctx);
    registerOpenApiRoutes(app, ctx);
    registerRevisionRoutes(app, ctx);
    registerPublisherSubscriptionRoutes(app, ctx);
    publisherUsageRoutes(app, ctx);
    sharedScopeRoutes(app, ctx);
  };
}
