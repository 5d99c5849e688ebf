import type { FastifyInstance } from 'fastify';
import { applicationsRepository } from '../../../store/index.js';
import { callerOf } from '../../auth/authenticate.js';
import { auditActorOf } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { pagination, parsePaging } from '../../http/paging.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import {
  ApplicationBody,
  ApplicationListQuery,
  applicationDto,
  applicationInfoDto,
} from './application-dto.js';
import {
  applicationInput,
  applicationResource,
  createApplication,
  deleteApplication,
  updateApplication,
} from './applications-service.js';
import { ensureDefaultApplication } from './ensure-default-application.js';
import { ownedApplication } from './owned-application.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };
const ID_PARAMS = {
  type: 'object',
  properties: { applicationId: { type: 'string', maxLength: 64 } },
  required: ['applicationId'],
} as const;

/**
 * Developer Portal applications (wso2-compat.md §6): list with paging/search/sort, create (201 + Location), read,
 * update, delete. Owner-scoped: another user's application is 404. Faults: VALIDATION_FAILED (schema, unknown
 * throttling policy), APPLICATION_EXISTS (409, name taken by the same owner), APPLICATION_NOT_FOUND.
 * The writes are in applications-service.ts.
 */
export function applicationsRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications`;

  app.get<{ Querystring: ApplicationListQuery }>(
    base,
    {
      config: { scopes: [...SCOPES.scopes, 'apim:app_import_export'] },
      schema: { querystring: ApplicationListQuery },
    },
    async (request) => {
      const caller = callerOf(request);
      if (caller.roles.includes('subscriber')) {
        await ensureDefaultApplication(ctx.store, ctx.changes, caller.username, ctx.clock.now());
      }
      const { limit, offset } = parsePaging({ ...request.query }, { maxLimit: null });
      const repo = applicationsRepository(ctx.store);
      const { rows, total } = await repo.list({
        owner: caller.username,
        nameContains: request.query.query,
        sortBy: request.query.sortBy ?? 'name',
        sortOrder: request.query.sortOrder?.toLowerCase() === 'desc' ? 'desc' : 'asc',
        limit,
        offset,
      });
      const counts = await repo.subscriptionCounts(rows.map((r) => r.id));
      return {
        count: rows.length,
        list: rows.map((r) => applicationInfoDto(r, counts.get(r.id) ?? 0)),
        pagination: pagination('/applications', offset, limit, total),
      };
    },
  );

  app.post<{ Body: ApplicationBody }>(
    base,
    { config: SCOPES, schema: { body: ApplicationBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const uuid = await createApplication(
        ctx,
        caller.username,
        applicationInput(request.body),
        auditActorOf(request),
      );
      const row = await ownedApplication(ctx.store, uuid, caller.username);
      return reply
        .status(201)
        .header('location', `${ctx.urls.controlPlane}${base}/${uuid}`)
        .send(applicationDto(row, 0, []));
    },
  );

  app.get<{ Params: { applicationId: string } }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS } },
    async (request) => {
      const row = await ownedApplication(ctx.store, request.params.applicationId, callerOf(request).username);
      return applicationResource(ctx, row);
    },
  );

  app.put<{ Params: { applicationId: string }; Body: ApplicationBody }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS, body: ApplicationBody } },
    async (request) => {
      const caller = callerOf(request);
      const row = await ownedApplication(ctx.store, request.params.applicationId, caller.username);
      await updateApplication(ctx, row, applicationInput(request.body));
      return applicationResource(ctx, await ownedApplication(ctx.store, row.uuid, caller.username));
    },
  );

  app.delete<{ Params: { applicationId: string } }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS } },
    async (request, reply) => {
      const row = await ownedApplication(ctx.store, request.params.applicationId, callerOf(request).username);
      await deleteApplication(ctx, row, auditActorOf(request));
      return reply.status(200).send();
    },
  );
}
