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

/** Parses `limit`/`offset` query strings (the control plane does not coerce query types). */
export function paging(
  query: { limit?: string; offset?: string },
  defaultLimit = 25,
): { limit: number; offset: number } {
  const limit = query.limit === undefined ? defaultLimit : Number(query.limit);
  const offset = query.offset === undefined ? 0 : Number(query.offset);
  return { limit, offset };
}

/** WSO2 `Pagination`: `next`/`previous` are relative links, empty when there is none. */
export function pagination(path: string, offset: number, limit: number, total: number) {
  return {
    offset,
    limit,
    total,
    next: offset + limit < total ? `${path}?limit=${limit}&offset=${offset + limit}` : '',
    previous: offset > 0 ? `${path}?limit=${limit}&offset=${Math.max(0, offset - limit)}` : '',
  };
}

/** Query-string schema fragments for paging (validated by Fastify; strings because query types are not coerced). */
export const PagingQuery = {
  limit: { type: 'string', pattern: '^(?:[1-9][0-9]{0,3})$' },
  offset: { type: 'string', pattern: '^(?:0|[1-9][0-9]{0,8})$' },
} as const;
