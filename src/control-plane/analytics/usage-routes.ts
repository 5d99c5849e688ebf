import type { FastifyInstance } from 'fastify';
import { usageRepository } from '../../store/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { ownedApplication } from '../devportal/applications/owned-application.js';
import { DEVPORTAL_BASE } from '../devportal/devportal-base.js';
import { BASE as PUBLISHER_BASE, VIEW } from '../publisher/api-routes.js';
import { findApiOr404 } from '../publisher/api-service.js';
import { UsageQuerySchema, usageWindowOf, type UsageQueryParams } from './usage-query.js';
import { byApi, byApplication, byKey, usageReport } from './usage-report.js';

/** Portico extensions (WSO2 serves analytics from a separate product): where each usage report is served. */
export const USAGE_PATHS = {
  devportal: `${DEVPORTAL_BASE}/applications/:applicationId/usage`,
  publisher: `${PUBLISHER_BASE}/apis/:apiId/usage`,
  admin: '/api/am/admin/v4/usage',
} as const;

type Query = { Querystring: UsageQueryParams };

/**
 * `GET /api/am/devportal/v3/applications/{applicationId}/usage` (`apim:subscribe` | `apim:app_manage`): the
 * caller's own application's traffic and errors, `{from, to, granularity, totals, series, byApi, byKey}`.
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 404 APPLICATION_NOT_FOUND (also another user's application), 400
 * INVALID_USAGE_QUERY / USAGE_RANGE_TOO_LARGE / VALIDATION_FAILED.
 */
export function devportalUsageRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<Query & { Params: { applicationId: string } }>(
    USAGE_PATHS.devportal,
    { config: { scopes: ['apim:subscribe', 'apim:app_manage'] }, schema: { querystring: UsageQuerySchema } },
    async (req) => {
      const w = usageWindowOf(req.query, ctx.clock.now());
      const owned = await ownedApplication(ctx.store, req.params.applicationId, callerOf(req).username);
      const rows = await usageRepository(ctx.store).list({
        from: w.from,
        to: w.to,
        applicationId: owned.uuid,
      });
      return usageReport(rows, w, { byApi, byKey });
    },
  );
}

/**
 * `GET /api/am/publisher/v4/apis/{apiId}/usage` (`apim:api_view` | `apim:api_create` | `apim:api_publish`): an
 * API's traffic by application, `{from, to, granularity, totals, series, byApplication}`.
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 404 API_NOT_FOUND, 400 INVALID_USAGE_QUERY / USAGE_RANGE_TOO_LARGE.
 */
export function publisherUsageRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<Query & { Params: { apiId: string } }>(
    USAGE_PATHS.publisher,
    { config: { scopes: VIEW }, schema: { querystring: UsageQuerySchema } },
    async (req) => {
      const w = usageWindowOf(req.query, ctx.clock.now());
      const api = await findApiOr404(ctx.store, req.params.apiId);
      const rows = await usageRepository(ctx.store).list({ from: w.from, to: w.to, apiId: api.id });
      return usageReport(rows, w, { byApplication });
    },
  );
}

/**
 * `GET /api/am/admin/v4/usage` (`apim:admin`): platform totals, `{from, to, granularity, totals, series, byApi,
 * byApplication}`. Faults: 401, 403 INSUFFICIENT_SCOPE, 400 INVALID_USAGE_QUERY / USAGE_RANGE_TOO_LARGE.
 */
export function adminUsageRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<Query>(
    USAGE_PATHS.admin,
    { config: { scopes: ['apim:admin'] }, schema: { querystring: UsageQuerySchema } },
    async (req) => {
      const w = usageWindowOf(req.query, ctx.clock.now());
      const rows = await usageRepository(ctx.store).list({ from: w.from, to: w.to });
      return usageReport(rows, w, { byApi, byApplication });
    },
  );
}
