import type { FastifyInstance } from 'fastify';
import type { ControlPlaneContext } from '../context.js';
import { clientRegistrationRoutes } from './client-registration-routes.js';
import { oauth2DiscoveryRoutes } from './discovery-routes.js';
import { oauth2TokenRoutes } from './oauth2-token-routes.js';

/**
 * Route module with every HTTP endpoint of the resident key manager: token, revoke, introspect, JWKS, discovery,
 * client registration.
 * @example const cp = await createControlPlane(ctx, [oauth2Routes, ...devportalRoutes]); cp.setTokenVerifier(accessTokenVerifier(ctx));
 */
export function oauth2Routes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  oauth2TokenRoutes(app, ctx);
  oauth2DiscoveryRoutes(app, ctx);
  clientRegistrationRoutes(app, ctx);
}
