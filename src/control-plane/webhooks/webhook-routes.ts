import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import { auditActorOf } from '../audit/index.js';
import type { ControlPlaneContext } from '../context.js';
import { pagination, PagingQuery, parsePaging } from '../http/paging.js';
import { WebhookEndpointBody } from './webhook-endpoint-dto.js';
import { isWebhookEventType, WEBHOOK_TEST_EVENT } from './webhook-events.js';
import { webhookService } from './webhook-service.js';

/** Portico's own Admin extension (WSO2 has no webhooks API), placed like `/audit-events`. */
export const ADMIN_WEBHOOKS = '/api/am/admin/v4/webhooks';
const ONE = `${ADMIN_WEBHOOKS}/:webhookId`;
const SCOPES = ['apim:admin'];
const STATUSES = ['pending', 'succeeded', 'failed'] as const;

const ListQuery = { type: 'object', properties: { ...PagingQuery }, additionalProperties: false } as const;
const DeliveryQuery = {
  type: 'object',
  properties: {
    ...PagingQuery,
    status: { type: 'string', minLength: 1, maxLength: 16 },
    eventType: { type: 'string', minLength: 1, maxLength: 64 },
    eventId: { type: 'string', minLength: 1, maxLength: 64 },
  },
  additionalProperties: false,
} as const;
const Params = {
  type: 'object',
  properties: { webhookId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['webhookId'],
} as const;
type One = { Params: { webhookId: string } };
type DeliveryParams = {
  status?: string;
  eventType?: string;
  eventId?: string;
  limit?: string;
  offset?: string;
};

/**
 * Admin webhook endpoints (scope `apim:admin`): `GET/POST /webhooks` (the POST answer alone carries the signing
 * `secret`), `GET/PUT/DELETE /webhooks/{webhookId}`, `POST /webhooks/{webhookId}/test` (202: a `webhook.test`
 * event queued), `GET /webhooks/{webhookId}/deliveries` (the delivery log, newest first, with every attempt;
 * filters `status`, `eventType`, `eventId`; WSO2 paging). Faults: 400 INVALID_WEBHOOK / WEBHOOK_URL_FORBIDDEN /
 * INVALID_WEBHOOK_FILTER / VALIDATION_FAILED, 401, 403, 404 WEBHOOK_NOT_FOUND, 409 WEBHOOK_DISABLED.
 */
export function webhookRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const service = webhookService(ctx);

  app.get<{ Querystring: { limit?: string; offset?: string } }>(
    ADMIN_WEBHOOKS,
    { config: { scopes: SCOPES }, schema: { querystring: ListQuery } },
    async (req) => {
      const paging = parsePaging(req.query);
      const { total, list } = await service.list(paging);
      return {
        count: list.length,
        list,
        pagination: pagination(ADMIN_WEBHOOKS, paging.offset, paging.limit, total),
      };
    },
  );

  app.post(
    ADMIN_WEBHOOKS,
    { config: { scopes: SCOPES }, schema: { body: WebhookEndpointBody } },
    async (req, reply) => {
      const dto = await service.create(req.body, auditActorOf(req));
      return reply.status(201).header('location', `${ADMIN_WEBHOOKS}/${dto.id}`).send(dto);
    },
  );

  app.get<One>(ONE, { config: { scopes: SCOPES }, schema: { params: Params } }, (req) =>
    service.get(req.params.webhookId),
  );

  app.put<One>(
    ONE,
    { config: { scopes: SCOPES }, schema: { params: Params, body: WebhookEndpointBody } },
    (req) => service.replace(req.params.webhookId, req.body, auditActorOf(req)),
  );

  app.delete<One>(ONE, { config: { scopes: SCOPES }, schema: { params: Params } }, async (req, reply) => {
    await service.delete(req.params.webhookId, auditActorOf(req));
    return reply.status(200).send();
  });

  app.post<One>(
    `${ONE}/test`,
    // No body: one sent anyway is refused by the input guard, so a hostile request queues nothing.
    { config: { scopes: SCOPES, body: 'none' }, schema: { params: Params } },
    async (req, reply) =>
      reply.status(202).send(await service.sendTest(req.params.webhookId, auditActorOf(req))),
  );

  app.get<One & { Querystring: DeliveryParams }>(
    `${ONE}/deliveries`,
    { config: { scopes: SCOPES }, schema: { params: Params, querystring: DeliveryQuery } },
    async (req) => {
      const q = req.query;
      if (q.status !== undefined && !(STATUSES as readonly string[]).includes(q.status))
        throw new RestError('INVALID_WEBHOOK_FILTER', `status must be one of ${STATUSES.join(', ')}`);
      if (q.eventType !== undefined && q.eventType !== WEBHOOK_TEST_EVENT && !isWebhookEventType(q.eventType))
        throw new RestError(
          'INVALID_WEBHOOK_FILTER',
          `Unknown event type ${q.eventType} (see docs/webhooks.md)`,
        );
      const paging = parsePaging(q);
      const filter = {
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.eventType !== undefined ? { eventType: q.eventType } : {}),
        ...(q.eventId !== undefined ? { eventId: q.eventId } : {}),
      };
      const { total, list } = await service.deliveries(req.params.webhookId, filter, paging);
      const path = `${ADMIN_WEBHOOKS}/${req.params.webhookId}/deliveries`;
      const extra = Object.entries(filter)
        .map(([k, v]) => `&${k}=${encodeURIComponent(v)}`)
        .join('');
      return {
        count: list.length,
        list,
        pagination: pagination(path, paging.offset, paging.limit, total, extra),
      };
    },
  );
}
