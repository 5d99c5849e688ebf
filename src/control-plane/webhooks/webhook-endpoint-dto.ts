import { RestError } from '../../core/index.js';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../../store/index.js';
import { isWebhookEventType, WEBHOOK_EVENT_TYPES } from './webhook-events.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from './webhook-url.js';
import type { WebhookDeliveryDto, WebhookDeliveryStatus, WebhookEndpointDto } from './webhook-wire-types.js';

export type { WebhookDeliveryDto, WebhookEndpointDto } from './webhook-wire-types.js';

/** A validated endpoint body (`POST` and `PUT /webhooks`). */
export interface ParsedWebhookEndpoint {
  readonly url: string;
  readonly description: string;
  readonly events: string[];
  readonly enabled: boolean;
}

/** JSON schema of the endpoint body (Fastify checks it first; {@link parseWebhookEndpoint} the rest). */
export const WebhookEndpointBody = {
  type: 'object',
  required: ['url'],
  properties: {
    url: { type: 'string', minLength: 1, maxLength: 2048 },
    description: { type: 'string', maxLength: 256 },
    events: {
      type: 'array',
      maxItems: WEBHOOK_EVENT_TYPES.length,
      uniqueItems: true,
      items: { type: 'string', minLength: 1, maxLength: 64 },
    },
    enabled: { type: 'boolean' },
  },
  additionalProperties: false,
} as const;

const CONTROL = /\p{Cc}/u;

/**
 * The endpoint a body describes. Defaults: no description, every event type, enabled.
 * @throws RestError INVALID_WEBHOOK (unknown event type, control characters), WEBHOOK_URL_FORBIDDEN
 */
export function parseWebhookEndpoint(body: unknown, policy: WebhookUrlPolicy): ParsedWebhookEndpoint {
  const b = body as { url: string; description?: string; events?: string[]; enabled?: boolean };
  const unknown = (b.events ?? []).filter((e) => !isWebhookEventType(e));
  if (unknown.length > 0)
    throw new RestError(
      'INVALID_WEBHOOK',
      `Unknown event type(s): ${unknown.join(', ')}; known: ${WEBHOOK_EVENT_TYPES.join(', ')}`,
    );
  const description = b.description ?? '';
  if (CONTROL.test(description))
    throw new RestError('INVALID_WEBHOOK', 'description must not contain control characters');
  return {
    url: checkWebhookUrl(b.url, policy),
    description,
    events: [...(b.events ?? [])].sort(),
    enabled: b.enabled ?? true,
  };
}

export function webhookEndpointDto(row: WebhookEndpointRow): WebhookEndpointDto {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.event_types) as string[],
    enabled: row.enabled === 1,
    secretHint: row.secret_hint,
    createdBy: row.created_by,
    createdTime: row.created_at,
    updatedTime: row.updated_at,
  };
}

export function webhookDeliveryDto(
  row: WebhookDeliveryRow,
  attempts: readonly WebhookAttemptRow[],
): WebhookDeliveryDto {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    // Only the repository writes it, with one of these (WebhookAttemptOutcome).
    status: row.status as WebhookDeliveryStatus,
    attempts: row.attempts,
    createdTime: row.created_at,
    nextAttemptTime: row.status === 'pending' ? row.next_attempt_at : null,
    lastStatusCode: row.last_status_code,
    lastError: row.last_error,
    attemptLog: attempts.map((a) => ({
      attempt: a.attempt,
      time: a.started_at,
      durationMs: a.duration_ms,
      statusCode: a.status_code,
      error: a.error,
      responseExcerpt: a.response_excerpt,
    })),
  };
}
