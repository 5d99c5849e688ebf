import type { Logger } from 'pino';
import { newUuid, type Clock } from '../../core/index.js';
import { webhookExpiryRepository, type ExpiringCredentialRow, type Store } from '../../store/index.js';
import { startPeriodicTask } from '../maintenance/periodic-task.js';
import type { WebhookOutbox } from './webhook-outbox.js';

const DAY_MS = 86_400_000;

export interface ExpiringCheckOptions {
  store: Store;
  clock: Clock;
  outbox: WebhookOutbox;
  /** `[webhooks] expiring_days`. */
  thresholdsDays: readonly number[];
}

/**
 * Queues an `apikey.expiring` / `client-secret.expiring` event for every live credential that crossed one of
 * `thresholdsDays` (expires within that many days of `clock.now()`), once per (credential, threshold): the
 * notice row and the deliveries commit together, and a notice another control plane recorded first wins. A
 * credential inside several thresholds at once gets one event, for the smallest. Returns the events queued.
 */
export async function queueExpiringCredentialEvents(o: ExpiringCheckOptions): Promise<number> {
  if (o.thresholdsDays.length === 0) return 0;
  const now = o.clock.now();
  const widest = Math.max(...o.thresholdsDays);
  const candidates = await webhookExpiryRepository(o.store).expiringBetween(now, now + widest * DAY_MS);
  let queued = 0;
  for (const c of candidates) {
    const applicable = o.thresholdsDays.filter((d) => c.expiresAt - now <= d * DAY_MS);
    const smallest = Math.min(...applicable);
    const sent = await o.store.transaction(async (trx) => {
      const notices = webhookExpiryRepository(trx);
      const seen = new Set(await notices.noticed(c.credentialType, c.id));
      if (seen.has(smallest)) return false;
      // The unique notice row decides between control planes racing for the same credential.
      if (!(await notices.recordNotice(c.credentialType, c.id, smallest, now))) return false;
      for (const d of applicable)
        if (d !== smallest && !seen.has(d)) await notices.recordNotice(c.credentialType, c.id, d, now);
      await o.outbox.enqueue(expiringEvent(c, smallest, now), trx);
      return true;
    });
    if (sent) queued++;
  }
  return queued;
}

function expiringEvent(c: ExpiringCredentialRow, thresholdDays: number, now: number) {
  const isKey = c.credentialType === 'api-key';
  return {
    id: newUuid(),
    type: isKey ? ('apikey.expiring' as const) : ('client-secret.expiring' as const),
    occurredAt: new Date(now).toISOString(),
    data: {
      target: { type: c.credentialType, id: c.id, name: c.name },
      expiresAt: new Date(c.expiresAt).toISOString(),
      thresholdDays,
      details: isKey ? { application: c.owner, keyType: c.keyType } : { consumerKey: c.owner },
    },
  };
}

/**
 * Runs {@link queueExpiringCredentialEvents} now and every `intervalMs` (`[webhooks] expiry_check_interval`).
 * Returns `stop`.
 */
export function startExpiringCredentialsJob(
  o: ExpiringCheckOptions & { logger: Logger; intervalMs: number },
): () => Promise<void> {
  if (o.thresholdsDays.length === 0) return async () => {};
  return startPeriodicTask({
    logger: o.logger,
    intervalMs: o.intervalMs,
    run: () => queueExpiringCredentialEvents(o),
    done: 'expiring-credential webhook events queued',
    failed: 'expiring-credential check failed',
  });
}
