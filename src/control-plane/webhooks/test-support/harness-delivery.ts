import type { Clock } from '../../../core/index.js';
import type { Store } from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { startWebhookDelivery, type WebhookDelivery } from '../start-webhook-delivery.js';

/**
 * Starts webhook delivery for a test harness's control plane as `[webhooks]` of its config says (which must not
 * disable it); `ca`: certificates the receiver's may chain to.
 * @example const delivery = harnessDelivery(h, [receiver.certificatePem!]);
 */
export function harnessDelivery(
  h: { ctx: ControlPlaneContext; store: Store; clock: Clock },
  ca?: readonly string[],
): WebhookDelivery {
  const delivery = startWebhookDelivery({
    config: h.ctx.config,
    store: h.store,
    clock: h.clock,
    logger: h.ctx.logger,
    outbox: h.ctx.webhooks,
    version: '0.0.0-test',
    ...(ca ? { ca } : {}),
  });
  if (!delivery) throw new Error('[webhooks] enabled = false in the test config');
  return delivery;
}
