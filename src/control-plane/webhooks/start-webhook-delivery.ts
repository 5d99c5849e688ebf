import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { Clock } from '../../core/index.js';
import type { Store } from '../../store/index.js';
import { startWebhookDispatcher, type WebhookDispatcher } from './webhook-dispatcher.js';
import { startExpiringCredentialsJob } from './webhook-expiry-job.js';
import type { WebhookOutbox } from './webhook-outbox.js';
import { createWebhookSender } from './webhook-sender.js';

/** The running webhook delivery of a control plane: the dispatcher and the expiring-credentials job. */
export interface WebhookDelivery {
  readonly dispatcher: WebhookDispatcher;
  close(): Promise<void>;
}

/**
 * Starts delivering the webhook outbox and checking for expiring credentials as `[webhooks]` says; `ca` are the
 * PEM certificates of `[webhooks] ca_file` (read by the caller). Null when `[webhooks] enabled = false`.
 * @example const delivery = startWebhookDelivery({ config, store, clock, logger, outbox, version: '1.0.0' });
 */
export function startWebhookDelivery(o: {
  config: Readonly<Config>;
  store: Store;
  clock: Clock;
  logger: Logger;
  outbox: WebhookOutbox;
  version: string;
  ca?: readonly string[];
}): WebhookDelivery | null {
  const w = o.config.webhooks;
  if (!w.enabled) return null;
  const logger = o.logger.child({ component: 'webhooks' });
  const sender = createWebhookSender({
    policy: { allowHttpLoopback: w.allow_http_loopback, allowInternalAddresses: w.allow_internal_addresses },
    timeoutMs: w.timeout_ms,
    clock: o.clock,
    ...(o.ca ? { ca: o.ca } : {}),
  });
  const dispatcher = startWebhookDispatcher({
    store: o.store,
    clock: o.clock,
    logger,
    outbox: o.outbox,
    sender,
    retry: {
      maxAttempts: w.max_attempts,
      baseDelayMs: w.retry_base_delay_ms,
      maxDelayMs: w.retry_max_delay_ms,
    },
    pollIntervalMs: w.poll_interval_ms,
    leaseMs: w.timeout_ms + 30_000,
    userAgent: `Portico-Webhooks/${o.version}`,
  });
  const stopExpiry = startExpiringCredentialsJob({
    store: o.store,
    clock: o.clock,
    outbox: o.outbox,
    thresholdsDays: w.expiring_days,
    logger,
    intervalMs: w.expiry_check_interval * 1000,
  });
  return {
    dispatcher,
    async close() {
      await stopExpiry();
      await dispatcher.close();
      await sender.close();
    },
  };
}
