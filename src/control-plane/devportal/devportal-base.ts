import type { ControlPlaneContext } from '../context.js';
import type { PorticoEventType } from '../../core/index.js';

/** Base path of the Developer Portal REST API (WSO2 4.x v3). */
export const DEVPORTAL_BASE = '/api/am/devportal/v3';

/** Publishes a domain event after a commit (the snapshot service rebuilds the gateway state from it). */
export async function publishAfterCommit(
  ctx: ControlPlaneContext,
  type: PorticoEventType,
  payload: Record<string, unknown>,
): Promise<void> {
  try {
    await ctx.bus.publish({ type, at: ctx.clock.now(), payload });
  } catch (err) {
    // The write is committed; a lost event is repaired by the next full snapshot rebuild.
    ctx.logger.error({ err, type }, 'event publish failed');
  }
}
