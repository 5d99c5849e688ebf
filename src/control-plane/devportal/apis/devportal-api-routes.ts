import { gatewayPathOf } from '../../../core/index.js';
import type { FastifyInstance } from 'fastify';
import { apisRepository } from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { page, parsePaging } from '../../http/paging.js';
import { listQuery, matchesQuery, rowToDto, toOpenApi } from '../../publisher/index.js';
import {
  devportalApi,
  devportalApiInfo,
  devportalPolicy,
  hiddenTiers,
  offeredPolicies,
  VISIBLE_STATES,
  visibleApiOr404,
  visibleTo,
} from './devportal-api-view.js';

const BASE = '/api/am/devportal/v3';
type ApiParams = { Params: { apiId: string } };
type ListQuery = { Querystring: { limit?: string; offset?: string; query?: string } };

/**
 * Developer Portal v3 API browsing: `GET /apis`, `/apis/{apiId}`, `/apis/{apiId}/swagger`,
 * `/apis/{apiId}/subscription-policies`. Public (anonymous, like WSO2's Developer Portal): only PUBLISHED or
 * DEPRECATED APIs are shown, PUBLIC ones to everyone, PRIVATE ones to signed-in users and RESTRICTED ones to
 * holders of one of their `visibleRoles` (see `visibleTo`). Tiers are those the caller (when credentials or a session
 * come with the request; anonymous otherwise) may subscribe with: a tier's ALLOW/DENY permissions apply. Faults: 404 API_NOT_FOUND, 400 VALIDATION_FAILED (paging).
 */
export function devportalApiRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const identify = { config: { identifyCaller: true } };
  const listOpts = { ...identify, schema: { querystring: listQuery() } };
  app.get<ListQuery>(`${BASE}/apis`, listOpts, async (req) => {
    const paging = parsePaging(req.query);
    const rows = await apisRepository(ctx.store).listByLifecycle(VISIBLE_STATES);
    const hidden = await hiddenTiers(ctx.store, req.caller);
    const list = rows
      .map(rowToDto)
      .filter((a) => visibleTo(a, req.caller))
      .filter((a) => matchesQuery(req.query.query, { ...a, status: a.lifeCycleStatus }))
      .map((a) => devportalApiInfo(a, hidden));
    const q = req.query.query ? `&query=${encodeURIComponent(req.query.query)}` : '';
    return page(list, paging, `${BASE}/apis`, q);
  });

  app.get<ApiParams>(`${BASE}/apis/:apiId`, identify, async (req) => {
    const dto = await visibleApiOr404(ctx.store, req.params.apiId, req.caller);
    const hidden = (await apisRepository(ctx.store).listDeployments(dto.id)).some(
      (d) => d.display_on_devportal === 0,
    );
    return devportalApi(dto, await offeredPolicies(ctx.store, dto, req.caller), ctx.urls, !hidden);
  });

  app.get<ApiParams>(`${BASE}/apis/:apiId/swagger`, identify, async (req) => {
    const dto = await visibleApiOr404(ctx.store, req.params.apiId, req.caller);
    // Consumers get the gateway URLs; backend endpoints stay private to the Publisher.
    const { 'x-wso2-production-endpoints': _p, 'x-wso2-sandbox-endpoints': _s, ...doc } = toOpenApi(dto);
    const path = gatewayPathOf(dto.context, dto.version);
    const servers = [ctx.urls.gatewayHttps, ...(ctx.urls.gatewayHttp ? [ctx.urls.gatewayHttp] : [])];
    return { ...doc, servers: servers.map((u) => ({ url: `${u}${path}` })) };
  });

  app.get<ApiParams>(`${BASE}/apis/:apiId/subscription-policies`, identify, async (req) => {
    const dto = await visibleApiOr404(ctx.store, req.params.apiId, req.caller);
    return (await offeredPolicies(ctx.store, dto, req.caller)).map(devportalPolicy);
  });
}
