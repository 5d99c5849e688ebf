import { adminRouteModules } from '../../control-plane/admin/index.js';
import { devportalRouteModules, ensureDefaultApplication } from '../../control-plane/devportal/index.js';
import { accessTokenVerifier, oauth2Routes } from '../../control-plane/oauth2/index.js';
import { internalSyncRoutes, internalUsageRoutes } from '../../control-plane/internal/index.js';
import { leakReportRoutes } from '../../control-plane/leak-reports/index.js';
import type { JwksRefresher } from '../../key-manager/external/index.js';
import {
  userRoutes,
  type ControlPlane,
  type ControlPlaneContext,
  type RouteModule,
} from '../../control-plane/index.js';
import { deploySample, publisherRoutes } from '../../control-plane/publisher/index.js';
import { sessionResolverFor, sessionRoutes } from '../../control-plane/sessions/index.js';
import { webRoutes } from '../../control-plane/web/index.js';
import { pizzaShackBackend } from '../../samples/index.js';
import { settingsRepository } from '../../store/index.js';

/** The control-plane route modules of this build. */
export function featureModules(opts: { sampleBackendUrl: string; refresher?: JwksRefresher }): RouteModule[] {
  return [
    userRoutes([
      async (ctx, username) => {
        await ensureDefaultApplication(ctx.store, ctx.changes, username, ctx.clock.now());
      },
    ]),
    sessionRoutes,
    oauth2Routes,
    ...devportalRouteModules,
    leakReportRoutes,
    publisherRoutes({ sampleBackendUrl: opts.sampleBackendUrl }),
    ...adminRouteModules(opts.refresher ? { refresher: opts.refresher } : {}),
    internalSyncRoutes,
    internalUsageRoutes,
    pizzaShackBackend,
    webRoutes(),
  ];
}

const SAMPLE_MARKER = 'sample.pizzashack.deployed';

/** One-time and per-start steps after the listeners are up (key manager wiring, the sample API). */
export async function afterStart(
  ctx: ControlPlaneContext,
  cp: ControlPlane,
  opts: { sampleBackendUrl: string },
): Promise<void> {
  cp.setTokenVerifier(accessTokenVerifier(ctx));
  const sessions = sessionResolverFor(ctx);
  if (sessions) cp.setSessionResolver(sessions);
  // The sample is deployed once per store: an operator who deletes it does not get it back on restart.
  const settings = settingsRepository(ctx.store);
  if (ctx.config.apim.sample.deploy_on_first_start && !(await settings.get(SAMPLE_MARKER))) {
    const admin = ctx.config.super_admin.username;
    try {
      const { created } = await deploySample(ctx, {
        sampleBackendUrl: opts.sampleBackendUrl,
        provider: admin,
      });
      if (created) ctx.logger.info('deployed and published the PizzaShack sample API');
    } catch (err) {
      // Another API holds the sample's name or context: the operator's API stays, the sample is skipped.
      if ((err as { errorCode?: string }).errorCode !== 'API_EXISTS') throw err;
      ctx.logger.warn({ err }, 'PizzaShack sample not deployed');
    }
    await settings.set(SAMPLE_MARKER, String(ctx.clock.now()));
  }
}
