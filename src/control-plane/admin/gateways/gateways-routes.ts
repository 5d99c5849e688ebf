import type { FastifyInstance } from 'fastify';
import type { GatewayHeartbeat } from '../../../core/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { createGatewayRegistry } from './gateway-registry.js';

const ADMIN_GATEWAYS = '/api/am/admin/v4/gateways';
const HEARTBEAT = '/internal/data/v1/gateways/heartbeat';

const ListQuery = {
  type: 'object',
  properties: { minVersion: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$' } },
  additionalProperties: false,
} as const;

const Text = (maxLength: number) => ({ type: 'string', minLength: 1, maxLength }) as const;
const Epoch = { type: 'integer', minimum: 0, maximum: 9007199254740991 } as const;
const HeartbeatBody = {
  type: 'object',
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9._-]{1,64}$' },
    address: Text(512),
    softwareVersion: Text(64),
    appliedVersion: Epoch,
    appliedAt: Epoch,
    source: { enum: ['live', 'cache'] },
    startedAt: Epoch,
  },
  required: ['id', 'address', 'softwareVersion', 'appliedVersion', 'appliedAt', 'source', 'startedAt'],
  additionalProperties: false,
} as const;

/**
 * Gateway acknowledgements (issue 11):
 * - `POST /internal/data/v1/gateways/heartbeat` (gateways, `apim:admin`): a {@link GatewayHeartbeat}; answers
 *   `{head}`, the change log's newest version.
 * - `GET /api/am/admin/v4/gateways[?minVersion=V]` (`apim:admin`): `{count, list, head}`, each gateway with the
 *   version it applied and ACTIVE/STALE; with `minVersion`, also `enforcement` = "enforced on N of M active
 *   gateways" for change V (a revoke answers with its version in `X-Portico-Change-Version`).
 * Faults: 401 UNAUTHENTICATED, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED.
 */
export function gatewaysRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const registry = createGatewayRegistry(ctx.store, ctx.clock);

  app.post<{ Body: GatewayHeartbeat }>(
    HEARTBEAT,
    { config: { scopes: ['apim:admin'] }, schema: { body: HeartbeatBody } },
    async (req) => registry.heartbeat(req.body),
  );

  app.get<{ Querystring: { minVersion?: string } }>(
    ADMIN_GATEWAYS,
    { config: { scopes: ['apim:admin'] }, schema: { querystring: ListQuery } },
    async (req) => {
      const { head, gateways } = await registry.list();
      const out = { count: gateways.length, list: gateways, head };
      if (req.query.minVersion === undefined) return out;
      return { ...out, enforcement: await registry.enforcement(Number(req.query.minVersion)) };
    },
  );
}
