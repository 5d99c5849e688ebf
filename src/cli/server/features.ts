import {
  userRoutes,
  type ControlPlane,
  type ControlPlaneContext,
  type RouteModule,
} from '../../control-plane/index.js';
import { sessionResolverFor, sessionRoutes } from '../../control-plane/sessions/index.js';
import { webRoutes } from '../../control-plane/web/index.js';

/** The control-plane route modules of this build. */
export function featureModules(_opts: { sampleBackendUrl: string }): RouteModule[] {
  return [userRoutes(), sessionRoutes, webRoutes()];
}

/** One-time and per-start steps after the listeners are up (key manager wiring, the sample API). */
export async function afterStart(
  ctx: ControlPlaneContext,
  cp: ControlPlane,
  _opts: { sampleBackendUrl: string },
): Promise<void> {
  const sessions = sessionResolverFor(ctx);
  if (sessions) cp.setSessionResolver(sessions);
}
