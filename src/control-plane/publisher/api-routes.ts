import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import { apisRepository } from '../../store/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { publisherMayAccess } from './api-access-control.js';
import {
  accessibleApiOr404,
  changeLifecycle,
  createApi,
  deleteApi,
  rowToDto,
  updateApi,
} from './api-service.js';
import { lifecycleState } from './lifecycle.js';
import { lifecycleHistory } from './lifecycle-history.js';
import { generateInternalKey } from './internal-key-service.js';
import { toOpenApi } from './openapi.js';
import { page, parsePaging } from '../http/paging.js';
import { matchesQuery } from './api-query.js';
import { ApiBody, LifecycleQuery, listQuery } from './publisher-schemas.js';

export const BASE = '/api/am/publisher/v4';
export const VIEW = ['apim:api_view', 'apim:api_create', 'apim:api_publish'];
export const CREATE = ['apim:api_create'];
export const PUBLISH = ['apim:api_publish'];

type ApiParams = { Params: { apiId: string } };

/** Publisher API CRUD, `GET /apis/{apiId}/swagger` and lifecycle routes (uploads: openapi-routes.ts). */
export function registerApiRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<{ Querystring: { limit?: string; offset?: string; query?: string } }>(
    `${BASE}/apis`,
    { config: { scopes: VIEW }, schema: { querystring: listQuery() } },
    async (req) => {
      const paging = parsePaging(req.query);
      const caller = callerOf(req);
      // APIs RESTRICTED to roles the caller lacks are left out before paging, so totals count what it may see.
      const all = (await apisRepository(ctx.store).list())
        .map(rowToDto)
        .filter((a) => publisherMayAccess(a, caller))
        .filter((a) => matchesQuery(req.query.query, { ...a, status: a.lifeCycleStatus, tags: a.tags }))
        .map(apiInfo);
      const q = req.query.query ? `&query=${encodeURIComponent(req.query.query)}` : '';
      return page(all, paging, `${BASE}/apis`, q);
    },
  );

  app.post(`${BASE}/apis`, { config: { scopes: CREATE }, schema: { body: ApiBody } }, async (req, reply) => {
    const dto = await createApi(ctx, req.body, callerOf(req));
    return reply.status(201).header('location', `${BASE}/apis/${dto.id}`).send(dto);
  });

  app.get<ApiParams>(`${BASE}/apis/:apiId`, { config: { scopes: VIEW } }, async (req) =>
    rowToDto(await accessibleApiOr404(ctx.store, req.params.apiId, callerOf(req))),
  );

  app.put<ApiParams>(
    `${BASE}/apis/:apiId`,
    { config: { scopes: CREATE }, schema: { body: ApiBody } },
    async (req) => updateApi(ctx, req.params.apiId, req.body, callerOf(req)),
  );

  app.delete<ApiParams>(
    `${BASE}/apis/:apiId`,
    { config: { scopes: ['apim:api_delete'] } },
    async (req, reply) => {
      await deleteApi(ctx, req.params.apiId, callerOf(req));
      return reply.status(200).send();
    },
  );

  app.get<ApiParams>(`${BASE}/apis/:apiId/swagger`, { config: { scopes: VIEW } }, async (req) =>
    toOpenApi(rowToDto(await accessibleApiOr404(ctx.store, req.params.apiId, callerOf(req)))),
  );

  app.get<ApiParams>(`${BASE}/apis/:apiId/lifecycle-state`, { config: { scopes: VIEW } }, async (req) =>
    lifecycleState((await accessibleApiOr404(ctx.store, req.params.apiId, callerOf(req))).lifecycle),
  );

  app.post<ApiParams>(
    `${BASE}/apis/:apiId/generate-key`,
    { config: { scopes: ['apim:api_generate_key', ...CREATE, 'apim:api_manage'], body: 'none' } },
    async (req) => generateInternalKey(ctx, req.params.apiId, callerOf(req).username),
  );

  app.get<ApiParams>(
    `${BASE}/apis/:apiId/lifecycle-history`,
    { config: { scopes: [...VIEW, 'apim:api_manage'] } },
    async (req) => lifecycleHistory(ctx, req.params.apiId),
  );

  // Portico has no approval workflow: a lifecycle change is applied at once, so nothing is ever pending.
  app.delete<ApiParams>(
    `${BASE}/apis/:apiId/lifecycle-state/pending-tasks`,
    { config: { scopes: [...PUBLISH, 'apim:api_manage'] } },
    async (req, reply) => {
      await accessibleApiOr404(ctx.store, req.params.apiId, callerOf(req));
      return reply.status(200).send();
    },
  );

  app.post<{ Querystring: { apiId?: string; action?: string } }>(
    `${BASE}/apis/change-lifecycle`,
    { config: { scopes: PUBLISH, body: 'none' }, schema: { querystring: LifecycleQuery } },
    async (req) => {
      const { apiId, action } = req.query;
      if (!apiId || !action)
        throw new RestError('VALIDATION_FAILED', 'Query parameters apiId and action are required');
      return changeLifecycle(ctx, apiId, action, callerOf(req));
    },
  );
}

/** The WSO2 `APIInfo` list item. */
function apiInfo(a: ReturnType<typeof rowToDto>) {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    context: a.context,
    version: a.version,
    provider: a.provider,
    type: a.type,
    lifeCycleStatus: a.lifeCycleStatus,
    workflowStatus: null,
    hasThumbnail: false,
    securityScheme: a.securityScheme,
    policies: a.policies,
    tags: a.tags,
    createdTime: a.createdTime,
    updatedTime: a.lastUpdatedTime,
  };
}
