import type { AuditEventRow } from '../../store/index.js';

/**
 * Every webhook event type an endpoint can subscribe to. Stable wire names (the `type` of a body, the
 * `Portico-Event-Type` header, subscription filters): add new ones, never rename one; document each in
 * docs/webhooks.md.
 */
export const WEBHOOK_EVENT_TYPES = [
  'apikey.created',
  'apikey.rotated',
  'apikey.revoked',
  'apikey.leaked',
  'apikey.expiring',
  'client-secret.created',
  'client-secret.rotated',
  'client-secret.revoked',
  'client-secret.expiring',
] as const;

/** A subscribable webhook event type. */
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the event "send test event" delivers (to that endpoint only, whatever it subscribes to). */
export const WEBHOOK_TEST_EVENT = 'webhook.test';

const KNOWN = new Set<string>(WEBHOOK_EVENT_TYPES);

/** True for a subscribable event type. */
export const isWebhookEventType = (s: string): s is WebhookEventType => KNOWN.has(s);

/** The audit actions that are webhook events (the audit log is the event source). */
const FROM_AUDIT: Readonly<Record<string, WebhookEventType>> = {
  'apikey.issued': 'apikey.created',
  'apikey.regenerated': 'apikey.rotated',
  'apikey.revoked': 'apikey.revoked',
  'apikey.leaked': 'apikey.leaked',
  'oauth-keys.generated': 'client-secret.created',
  'client-secret.generated': 'client-secret.created',
  'client-secret.regenerated': 'client-secret.rotated',
  'client-secret.revoked': 'client-secret.revoked',
};

/**
 * The body of a webhook POST. `id` is the idempotency id: the same on every attempt and for every endpoint, so a
 * receiver that saw it already can answer 2xx and skip it (delivery is at least once).
 */
export interface WebhookEvent {
  readonly id: string;
  readonly type: WebhookEventType | typeof WEBHOOK_TEST_EVENT;
  /** ISO 8601. */
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** The webhook event an audit event is, or null when its action is not one (or it records a failure). */
export function webhookEventOfAudit(row: AuditEventRow): WebhookEvent | null {
  const type = FROM_AUDIT[row.action];
  if (type === undefined || row.outcome !== 'success') return null;
  return {
    id: row.id,
    type,
    occurredAt: new Date(row.occurred_at).toISOString(),
    data: {
      target: { type: row.target_type, id: row.target_id, name: row.target_name },
      actor: row.actor,
      // Audit details are small and never a secret (the audit log refuses secret-looking names).
      details: JSON.parse(row.details) as Record<string, unknown>,
    },
  };
}

/** True when an endpoint subscribed to `eventTypes` (empty = every type) receives `type`. */
export const subscribes = (eventTypes: readonly string[], type: string): boolean =>
  eventTypes.length === 0 || eventTypes.includes(type);
