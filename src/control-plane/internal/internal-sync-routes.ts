import type { FastifyInstance } from 'fastify';
import type { ControlPlaneContext } from '../context.js';

const BASE = '/internal/data/v1';

/**
 * Gateway sync for scaled-out gateways: `GET /internal/data/v1/snapshot` (the full current snapshot) and
 * `GET /internal/data/v1/snapshot/version` (`{version}`, cheap polling). Admin only (`apim:admin`), e.g. Basic auth.
 * Faults: 401 UNAUTHENTICATED, 403 INSUFFICIENT_SCOPE.
 */
export function internalSyncRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get(`${BASE}/snapshot`, { config: { scopes: ['apim:admin'] } }, async (_req, reply) => {
    const snap = await ctx.snapshots.current();
    return reply.header('etag', `"${snap.version}"`).send(snap);
  });

  app.get(`${BASE}/snapshot/version`, { config: { scopes: ['apim:admin'] } }, async () => ({
    version: (await ctx.snapshots.current()).version,
  }));
}
