import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import type { ControlPlaneContext } from '../context.js';
import { BASE, PUBLISH, VIEW } from './api-routes.js';
import {
  createRevision,
  deleteRevision,
  deployRevision,
  getRevisionOr404,
  listDeployments,
  listRevisions,
  revisionDto,
  undeployRevision,
} from './revision-service.js';
import { apisRepository } from '../../store/index.js';
import { updateDeployment } from './deployment-update.js';
import { restoreRevision } from './revision-restore.js';
import {
  DeploymentBody,
  DeploymentUpdateBody,
  RevisionBody,
  RevisionQuery,
  UndeploymentBody,
} from './publisher-schemas.js';

type Rev = {
  Params: { apiId: string; revisionId?: string; deploymentId?: string };
  Querystring: { revisionId?: string; query?: string };
};

/** Publisher revision and deployment routes (WSO2 4.x: an API reaches the gateway as a deployed revision). */
export function registerRevisionRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const revisionIdOf = (req: { query: { revisionId?: string } }) => {
    if (!req.query.revisionId)
      throw new RestError('VALIDATION_FAILED', 'Query parameter revisionId is required');
    return req.query.revisionId;
  };

  app.post<Rev>(
    `${BASE}/apis/:apiId/revisions`,
    { config: { scopes: ['apim:api_create', 'apim:api_publish'] }, schema: { body: RevisionBody } },
    async (req, reply) => reply.status(201).send(await createRevision(ctx, req.params.apiId, req.body)),
  );

  const listed = { config: { scopes: VIEW }, schema: { querystring: RevisionQuery } };
  app.get<Rev>(`${BASE}/apis/:apiId/revisions`, listed, async (req) =>
    listRevisions(ctx, req.params.apiId, req.query.query === 'deployed:true'),
  );

  app.get<Rev>(`${BASE}/apis/:apiId/revisions/:revisionId`, { config: { scopes: VIEW } }, async (req) => {
    const rev = await getRevisionOr404(ctx, req.params.apiId, req.params.revisionId ?? '');
    return revisionDto(rev, await apisRepository(ctx.store).listDeployments(req.params.apiId));
  });

  app.delete<Rev>(
    `${BASE}/apis/:apiId/revisions/:revisionId`,
    { config: { scopes: ['apim:api_create', 'apim:api_publish'] } },
    async (req) => deleteRevision(ctx, req.params.apiId, req.params.revisionId ?? ''),
  );

  const deploy = {
    config: { scopes: PUBLISH },
    schema: { querystring: RevisionQuery, body: DeploymentBody },
  };
  app.post<Rev>(`${BASE}/apis/:apiId/deploy-revision`, deploy, async (req, reply) =>
    reply.status(201).send(await deployRevision(ctx, req.params.apiId, revisionIdOf(req), req.body)),
  );

  app.post<Rev>(
    `${BASE}/apis/:apiId/undeploy-revision`,
    { config: { scopes: PUBLISH }, schema: { querystring: RevisionQuery, body: UndeploymentBody } },
    async (req, reply) =>
      reply.status(201).send(await undeployRevision(ctx, req.params.apiId, revisionIdOf(req), req.body)),
  );

  app.get<Rev>(`${BASE}/apis/:apiId/deployments`, { config: { scopes: VIEW } }, async (req) =>
    listDeployments(ctx, req.params.apiId),
  );

  const manage = [...PUBLISH, 'apim:api_create', 'apim:api_manage'];
  app.post<Rev>(
    `${BASE}/apis/:apiId/restore-revision`,
    { config: { scopes: manage, body: 'none' }, schema: { querystring: RevisionQuery } },
    async (req, reply) =>
      reply.status(201).send(await restoreRevision(ctx, req.params.apiId, revisionIdOf(req))),
  );

  app.put<Rev>(
    `${BASE}/apis/:apiId/deployments/:deploymentId`,
    { config: { scopes: manage }, schema: { body: DeploymentUpdateBody } },
    async (req) => updateDeployment(ctx, req.params.apiId, req.params.deploymentId ?? '', req.body),
  );

  app.get<Rev>(`${BASE}/apis/:apiId/deploy-revision`, listed, async (req) =>
    listDeployments(ctx, req.params.apiId),
  );
}
