import {
  userRoutes,
  type ControlPlane,
  type ControlPlaneContext,
  type RouteModule,
} from '../../control-plane/index.js';

/** The control-plane route modules of this build. */
export function featureModules(_opts: { sampleBackendUrl: string }): RouteModule[] {
  return [userRoutes()];
}

/** One-time and per-start steps after the listeners are up (key manager wiring, the sample API). */
export async function afterStart(
  _ctx: ControlPlaneContext,
  _cp: ControlPlane,
  _opts: { sampleBackendUrl: string },
): Promise<void> {}
