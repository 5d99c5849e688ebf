import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import type { ControlPlaneContext } from '../context.js';
import { decodeScopeNameParam } from './scope-name-param.js';
import { page, parsePaging } from '../http/paging.js';
import { SharedScopeBody } from './scope-schemas.js';
import { sharedScopesService } from './shared-scopes-service.js';

const BASE = '/api/am/publisher/v4/scopes';
// Replaced by WSO2's per-operation scopes (publisher-api.json) at registration; these are the write scopes.
const MANAGE = ['apim:shared_scope_manage'];
const PagingQuery = {
  type: 'object',
  properties: { limit: { type: 'string' }, offset: { type: 'string' } },
  additionalProperties: false,
} as const;
type One = { Params: { scopeId: string } };

/**
 * Publisher v4 shared scopes: `GET/POST /scopes`, `GET/PUT/DELETE /scopes/{scopeId}`, `HEAD /scopes/{scopeId}`
 * (the id is the base64url scope name there, as WSO2 has it: does a scope of that name exist),
 * `GET /scopes/{scopeId}/usage`. Faults: 400 INVALID_SCOPE, 404 SCOPE_NOT_FOUND, 409 SCOPE_EXISTS / SCOPE_IN_USE.
 */
export function sharedScopeRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const service = sharedScopesService(ctx);

  app.get<{ Querystring: { limit?: string; offset?: string } }>(
    BASE,
    { config: { scopes: MANAGE }, schema: { querystring: PagingQuery } },
    async (req) => page(await service.list(), parsePaging(req.query), BASE),
  );

  app.post(BASE, { config: { scopes: MANAGE }, schema: { body: SharedScopeBody } }, async (req, reply) => {
    const dto = await service.create(req.body);
    return reply.status(201).header('location', `${BASE}/${dto.id}`).send(dto);
  });

  // Before the GET of the same path, so Fastify does not add its own HEAD twin of that GET.
  app.head<One>(`${BASE}/:scopeId`, { config: { scopes: MANAGE } }, async (req, reply) => {
    const name = decodeScopeNameParam(req.params.scopeId, /^[A-Za-z0-9:_.-]{1,100}$/);
    if (name === null || !(await service.exists(name)))
      throw new RestError('SCOPE_NOT_FOUND', 'No scope with that name');
    return reply.status(200).send();
  });

  app.get<One>(`${BASE}/:scopeId`, { config: { scopes: MANAGE } }, async (req) =>
    service.get(req.params.scopeId),
  );

  app.put<One>(
    `${BASE}/:scopeId`,
    { config: { scopes: MANAGE }, schema: { body: SharedScopeBody } },
    async (req) => service.update(req.params.scopeId, req.body),
  );

  app.delete<One>(`${BASE}/:scopeId`, { config: { scopes: MANAGE } }, async (req, reply) => {
    await service.delete(req.params.scopeId);
    return reply.status(200).send();
  });

  app.get<One>(`${BASE}/:scopeId/usage`, { config: { scopes: MANAGE } }, async (req) =>
    service.usage(req.params.scopeId),
  );
}
