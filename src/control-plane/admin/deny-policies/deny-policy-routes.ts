import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { auditActorOf } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { parseConditionStatus } from './blocking-condition-dto.js';
import { denyPoliciesService, type DenyPolicyFilter } from './deny-policies-service.js';

const LIST = '/api/am/admin/v4/throttling/deny-policies';
const ONE = '/api/am/admin/v4/throttling/deny-policy/:conditionId';
// WSO2's admin-api.json: apim:admin or apim:bl_view to read, apim:admin or apim:bl_manage to write.
const READ = ['apim:admin', 'apim:bl_view', 'apim:bl_manage'];
const WRITE = ['apim:admin', 'apim:bl_manage'];
const ListQuery = {
  type: 'object',
  properties: { query: { type: 'string', maxLength: 512 } },
  additionalProperties: false,
} as const;
const FILTER_KEYS = new Set(['conditionType', 'conditionValue']);
type One = { Params: { conditionId: string } };

/**
 * Admin v4 deny policies (WSO2 blocking conditions): `GET/POST /throttling/deny-policies`,
 * `GET/DELETE/PATCH /throttling/deny-policy/{conditionId}` (PATCH takes `BlockingConditionStatus`). Faults: 400
 * INVALID_BLOCKING_CONDITION / BAD_REQUEST, 404 BLOCKING_CONDITION_NOT_FOUND, 409 BLOCKING_CONDITION_EXISTS.
 */
export function denyPolicyRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const service = denyPoliciesService(ctx);

  app.get<{ Querystring: { query?: string } }>(
    LIST,
    { config: { scopes: READ }, schema: { querystring: ListQuery } },
    async (req) => {
      const list = await service.list(parseFilter(req.query.query));
      return { count: list.length, list };
    },
  );

  app.post(LIST, { config: { scopes: WRITE } }, async (req, reply) => {
    const dto = await service.create(req.body, auditActorOf(req));
    return reply
      .status(201)
      .header('location', `${LIST.replace('policies', 'policy')}/${dto.conditionId}`)
      .send(dto);
  });

  app.get<One>(ONE, { config: { scopes: READ } }, async (req) => service.get(req.params.conditionId));

  app.patch<One>(ONE, { config: { scopes: WRITE } }, async (req) =>
    service.setStatus(req.params.conditionId, parseConditionStatus(req.body), auditActorOf(req)),
  );

  app.delete<One>(ONE, { config: { scopes: WRITE } }, async (req, reply) => {
    await service.delete(req.params.conditionId, auditActorOf(req));
    return reply.status(200).send();
  });
}

/** `conditionType:API & conditionValue:/pizzashack/1.0.0` (either part optional). @throws RestError BAD_REQUEST */
function parseFilter(query: string | undefined): DenyPolicyFilter {
  if (query === undefined || query.trim() === '') return {};
  const filter: Record<string, string> = {};
  for (const part of query.split('&')) {
    const colon = part.indexOf(':');
    const key = part.slice(0, colon).trim();
    if (colon < 0 || !FILTER_KEYS.has(key))
      throw new RestError('BAD_REQUEST', 'query takes conditionType:<type> and conditionValue:<value>');
    filter[key] = part.slice(colon + 1).trim();
  }
  return filter;
}
