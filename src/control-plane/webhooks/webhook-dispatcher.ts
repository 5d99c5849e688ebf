import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import {
  claimDueWebhookDeliveries,
  webhookDeliveriesRepository,
  webhookEndpointsRepository,
  type Store,
  type WebhookDeliveryRow,
} from '../../store/index.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import type { WebhookSender } from './webhook-sender.js';
import { signatureHeader } from './webhook-signature.js';

/** How deliveries are retried (`[webhooks]`). */
export interface RetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export interface WebhookDispatcherOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  outbox: WebhookOutbox;
  sender: WebhookSender;
  retry: RetryPolicy;
  pollIntervalMs: number;
  /** How long a claimed delivery stays this control plane's (longer than a send may take). */
  leaseMs: number;
  /** `User-Agent` of the POSTs. */
  userAgent: string;
  /** Deliveries claimed at once. */
  batchSize?: number;
}

/** A running dispatcher: `pump` delivers what is due now (tests call it); `close` stops and waits. */
export interface WebhookDispatcher {
  pump(): Promise<number>;
  close(): Promise<void>;
}

/**
 * The wait before attempt `n + 1` after attempt `n` (1-based) failed: `baseDelayMs · 2^(n−1)`, at most
 * `maxDelayMs`; null when no attempt is left (the delivery is `failed`).
 */
export function retryDelay(attempt: number, p: RetryPolicy): number | null {
  if (attempt >= p.maxAttempts) return null;
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** (attempt - 1));
}

/**
 * Delivers the webhook outbox: claims due deliveries with a lease (several control planes on PostgreSQL get
 * disjoint rows), POSTs each signed body, records the attempt, and schedules a retry with exponential backoff
 * or marks the delivery `succeeded` / `failed`. Wakes at once when this process queues a delivery, and every
 * `pollIntervalMs` for the rest (retries, other control planes' events). At least once: a crash after a send
 * and before its record sends it again when the lease ends; receivers dedupe on the event id.
 * @example const d = startWebhookDispatcher({ store, clock, logger, outbox, sender, retry, pollIntervalMs: 1000, leaseMs: 40_000, userAgent: 'Portico-Webhooks/1.0' });
 */
export function startWebhookDispatcher(o: WebhookDispatcherOptions): WebhookDispatcher {
  const owner = randomUUID();
  const batch = o.batchSize ?? 20;
  let closed = false;
  let running: Promise<number> | null = null;
  let again = false;

  const deliver = async (d: WebhookDeliveryRow): Promise<void> => {
    const endpoint = await webhookEndpointsRepository(o.store).findById(d.endpoint_id);
    if (!endpoint) return; // Deleted meanwhile: its deliveries went with it.
    const attempt = d.attempts + 1;
    const startedAt = o.clock.now();
    const headers = {
      'content-type': 'application/json',
      'user-agent': o.userAgent,
      'portico-event-id': d.event_id,
      'portico-event-type': d.event_type,
      'portico-delivery-id': d.id,
      'portico-delivery-attempt': String(attempt),
      'portico-signature': signatureHeader(endpoint.secret, Math.floor(startedAt / 1000), d.payload),
    };
    const r = await o.sender.send(endpoint.url, headers, d.payload);
    const at = o.clock.now();
    const delay = r.ok ? null : retryDelay(attempt, o.retry);
    const status = r.ok ? 'succeeded' : delay === null ? 'failed' : 'pending';
    const recorded = await webhookDeliveriesRepository(o.store).complete(d.id, owner, {
      attempt: {
        delivery_id: d.id,
        attempt,
        started_at: startedAt,
        duration_ms: r.durationMs,
        status_code: r.statusCode,
        error: r.error,
        response_excerpt: r.excerpt,
      },
      status,
      nextAttemptAt: delay === null ? null : at + delay,
      at,
    });
    const fields = {
      delivery: d.id,
      endpoint: d.endpoint_id,
      event: d.event_id,
      type: d.event_type,
      attempt,
    };
    if (!recorded) o.logger.warn(fields, 'webhook delivery lease lost before its attempt was recorded');
    else if (status === 'failed')
      o.logger.warn({ ...fields, statusCode: r.statusCode, error: r.error }, 'webhook delivery failed');
    else if (status === 'pending')
      o.logger.info(
        { ...fields, statusCode: r.statusCode, error: r.error, retryInMs: delay },
        'webhook attempt failed',
      );
    else o.logger.debug({ ...fields, statusCode: r.statusCode }, 'webhook delivered');
  };

  const drain = async (): Promise<number> => {
    let sent = 0;
    for (;;) {
      const due = await claimDueWebhookDeliveries(o.store, {
        now: o.clock.now(),
        leaseMs: o.leaseMs,
        owner,
        limit: batch,
      });
      await Promise.all(
        due.map((d) =>
          deliver(d).catch((err: unknown) =>
            o.logger.error({ err, delivery: d.id }, 'webhook delivery crashed'),
          ),
        ),
      );
      sent += due.length;
      if (due.length < batch || closed) return sent;
    }
  };

  // One pump at a time; a wake-up during a pump runs one more after it.
  const pump = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((err: unknown) => {
        o.logger.warn({ err }, 'webhook dispatch failed (store unavailable?); retrying on the next poll');
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !closed) {
          again = false;
          void pump();
        }
      });
    return running;
  };

  const timer = setInterval(() => void pump(), o.pollIntervalMs);
  timer.unref();
  const unsubscribe = o.outbox.onQueued(() => {
    if (!closed) setImmediate(() => void pump());
  });
  void pump();
  return {
    pump,
    async close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
      await running;
    },
  };
}
