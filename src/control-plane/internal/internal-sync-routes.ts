import type { FastifyInstance } from 'fastify';
import type { ControlPlaneContext } from '../context.js';
import { liveAccessToken } from '../sync/index.js';

const BASE = '/internal/data/v1';

const AccessTokenParams = {
  type: 'object',
  properties: { hash: { type: 'string', pattern: '^[A-Za-z0-9_-]{43}$' } },
  required: ['hash'],
} as const;

const ChangesQuery = {
  type: 'object',
  properties: {
    after: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' },
    limit: { type: 'string', pattern: '^[1-9][0-9]{0,3}$' },
  },
  required: ['after'],
  additionalProperties: false,
} as const;

/**
 * Gateway sync for scaled-out gateways, admin only (`apim:admin`, e.g. the gateway's Basic credentials):
 * - `GET /internal/data/v1/snapshot`: the full snapshot at the change log's head (its `version`);
 * - `GET /internal/data/v1/snapshot/version`: `{version}` (the log head; cheap polling);
 * - `GET /internal/data/v1/changes?after=V[&limit=N]`: the changes after V as deltas, `{from, to, deltas, head}`;
 *   410 `{gone: true, head}` when the log no longer reaches back to V (or V is ahead of it): take a full snapshot.
 * - `GET /internal/data/v1/access-tokens/{hash}`: `{token}`, the live opaque access token with this HMAC in its
 *   snapshot form, or `{token: null}` (unknown, revoked, expired): a gateway's bounded lookup on a miss (ADR 0006).
 * Faults: 401 UNAUTHENTICATED, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED.
 */
export function internalSyncRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get(`${BASE}/snapshot`, { config: { scopes: ['apim:admin'] } }, async (_req, reply) => {
    const snap = await ctx.snapshots.current();
    return reply.header('etag', `"${snap.version}"`).send(snap);
  });

  app.get(`${BASE}/snapshot/version`, { config: { scopes: ['apim:admin'] } }, async () => ({
    version: (await ctx.snapshots.current()).version,
  }));

  app.get<{ Querystring: { after: string; limit?: string } }>(
    `${BASE}/changes`,
    { config: { scopes: ['apim:admin'] }, schema: { querystring: ChangesQuery } },
    async (req, reply) => {
      const page = await ctx.feed.changesAfter(
        Number(req.query.after),
        req.query.limit === undefined ? undefined : Number(req.query.limit),
      );
      return 'gone' in page ? reply.status(410).send(page) : page;
    },
  );

  app.get<{ Params: { hash: string } }>(
    `${BASE}/access-tokens/:hash`,
    { config: { scopes: ['apim:admin'] }, schema: { params: AccessTokenParams } },
    async (req, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ token: await liveAccessToken(ctx.store, req.params.hash, ctx.clock.now()) }),
  );
}
