import { randomBytes } from 'node:crypto';
import { newUuid, RestError } from '../../core/index.js';
import {
  webhookDeliveriesRepository,
  webhookEndpointsRepository,
  type Queryable,
  type WebhookDeliveryQuery,
  type WebhookEndpointRow,
} from '../../store/index.js';
import type { AuditActor, AuditEventInput } from '../audit/index.js';
import type { ControlPlaneContext } from '../context.js';
import {
  parseWebhookEndpoint,
  webhookDeliveryDto,
  webhookEndpointDto,
  type WebhookDeliveryDto,
  type WebhookEndpointDto,
} from './webhook-endpoint-dto.js';
import { WEBHOOK_TEST_EVENT, type WebhookEvent } from './webhook-events.js';
import type { WebhookUrlPolicy } from './webhook-url.js';

type Page = { limit: number; offset: number };

/** The URL policy of `[webhooks]`. */
export const urlPolicyOf = (ctx: ControlPlaneContext): WebhookUrlPolicy => ({
  allowHttpLoopback: ctx.config.webhooks.allow_http_loopback,
  allowInternalAddresses: ctx.config.webhooks.allow_internal_addresses,
});

/**
 * Admin webhook endpoints: create (the secret is returned once), read, replace, delete, send a test event, read
 * the delivery log. Every change is audited (`webhook.created|updated|deleted`, the URL's origin only: a path or
 * query may hold a token of the receiver). Faults: 400 INVALID_WEBHOOK / WEBHOOK_URL_FORBIDDEN, 404
 * WEBHOOK_NOT_FOUND, 409 WEBHOOK_DISABLED.
 */
export function webhookService(ctx: ControlPlaneContext) {
  const policy = urlPolicyOf(ctx);
  const outbox = ctx.webhooks;
  return {
    async list(page: Page): Promise<{ total: number; list: WebhookEndpointDto[] }> {
      const repo = webhookEndpointsRepository(ctx.store);
      const [total, rows] = await Promise.all([repo.count(), repo.list(page)]);
      return { total, list: rows.map(webhookEndpointDto) };
    },

    get: async (id: string) => webhookEndpointDto(await findOr404(ctx.store, id)),

    async create(body: unknown, actor: AuditActor): Promise<WebhookEndpointDto & { secret: string }> {
      const p = parseWebhookEndpoint(body, policy);
      const now = ctx.clock.now();
      const secret = `whsec_${randomBytes(32).toString('base64url')}`;
      const row: WebhookEndpointRow = {
        id: newUuid(),
        url: p.url,
        description: p.description,
        event_types: JSON.stringify(p.events),
        enabled: p.enabled ? 1 : 0,
        secret,
        secret_hint: secret.slice(-4),
        created_by: actor.name,
        created_at: now,
        updated_at: now,
      };
      await ctx.store.transaction(async (trx) => {
        await webhookEndpointsRepository(trx).insert(row);
        await ctx.audit.record(endpointEvent('webhook.created', actor, row), trx);
      });
      return { ...webhookEndpointDto(row), secret };
    },

    replace: (id: string, body: unknown, actor: AuditActor): Promise<WebhookEndpointDto> => {
      const p = parseWebhookEndpoint(body, policy);
      return ctx.store.transaction(async (trx) => {
        const row = await findOr404(trx, id);
        const next: WebhookEndpointRow = {
          ...row,
          url: p.url,
          description: p.description,
          event_types: JSON.stringify(p.events),
          enabled: p.enabled ? 1 : 0,
          updated_at: Math.max(ctx.clock.now(), row.updated_at),
        };
        const { url, description, event_types, enabled, updated_at } = next;
        await webhookEndpointsRepository(trx).update(id, {
          url,
          description,
          event_types,
          enabled,
          updated_at,
        });
        await ctx.audit.record(endpointEvent('webhook.updated', actor, next), trx);
        return webhookEndpointDto(next);
      });
    },

    delete: (id: string, actor: AuditActor): Promise<void> =>
      ctx.store.transaction(async (trx) => {
        const row = await findOr404(trx, id);
        await webhookEndpointsRepository(trx).delete(id);
        await ctx.audit.record(endpointEvent('webhook.deleted', actor, row), trx);
      }),

    /** Queues a `webhook.test` event for this endpoint alone. @throws WEBHOOK_NOT_FOUND, WEBHOOK_DISABLED */
    sendTest: (id: string, actor: AuditActor): Promise<{ eventId: string; deliveryId: string }> =>
      ctx.store.transaction(async (trx) => {
        const row = await findOr404(trx, id);
        if (row.enabled !== 1)
          throw new RestError('WEBHOOK_DISABLED', 'The endpoint is disabled: enable it to send a test event');
        const now = ctx.clock.now();
        const event: WebhookEvent = {
          id: newUuid(),
          type: WEBHOOK_TEST_EVENT,
          occurredAt: new Date(now).toISOString(),
          data: { endpoint: row.id, actor: actor.name },
        };
        const [delivery] = await outbox.enqueue(event, trx, { onlyEndpoint: id });
        return { eventId: event.id, deliveryId: delivery!.id };
      }),

    async deliveries(
      id: string,
      query: Omit<WebhookDeliveryQuery, 'endpointId'>,
      page: Page,
    ): Promise<{ total: number; list: WebhookDeliveryDto[] }> {
      await findOr404(ctx.store, id);
      const repo = webhookDeliveriesRepository(ctx.store);
      const q = { ...query, endpointId: id };
      const [total, rows] = await Promise.all([repo.count(q), repo.list(q, page)]);
      const attempts = await repo.attemptsOf(rows.map((r) => r.id));
      return {
        total,
        list: rows.map((r) =>
          webhookDeliveryDto(
            r,
            attempts.filter((a) => a.delivery_id === r.id),
          ),
        ),
      };
    },
  };
}

function endpointEvent(
  action: 'webhook.created' | 'webhook.updated' | 'webhook.deleted',
  actor: AuditActor,
  row: WebhookEndpointRow,
): AuditEventInput {
  return {
    action,
    actor,
    target: { type: 'webhook', id: row.id, name: row.description || null },
    details: {
      origin: new URL(row.url).origin,
      enabled: row.enabled === 1,
      events: (JSON.parse(row.event_types) as string[]).join(',') || '*',
    },
  };
}

async function findOr404(db: Queryable, id: string): Promise<WebhookEndpointRow> {
  const row = await webhookEndpointsRepository(db).findById(id);
  if (!row) throw new RestError('WEBHOOK_NOT_FOUND', `Webhook endpoint ${id} not found`);
  return row;
}
