import type { FastifyInstance } from 'fastify';
import { LATENCY_BUCKETS, type UsageBatch } from '../../core/index.js';
import { applyUsageFlush } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';

/** What one flush may carry (a gateway's buffer is bounded by `[analytics] buffer_size`; it splits bigger ones). */
export const MAX_USAGE_AGGREGATES = 20_000;

const Text = (maxLength: number) => ({ type: 'string', maxLength }) as const;
const Aggregate = {
  type: 'object',
  properties: {
    minute: { type: 'integer', minimum: 0, maximum: 9007199254740991, multipleOf: 60000 },
    apiId: { type: 'string', minLength: 1, maxLength: 255 },
    apiName: Text(255),
    apiVersion: Text(255),
    applicationId: Text(255),
    applicationName: Text(255),
    keyKind: { enum: ['api-key', 'oauth2', 'none'] },
    keyId: Text(255),
    keyType: { enum: ['PRODUCTION', 'SANDBOX'] },
    statusClass: { enum: ['2xx', '4xx', '5xx'] },
    count: { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
    latency: {
      type: 'array',
      maxItems: LATENCY_BUCKETS,
      items: {
        type: 'array',
        minItems: 2,
        maxItems: 2,
        items: [
          { type: 'integer', minimum: 0, maximum: LATENCY_BUCKETS - 1 },
          { type: 'integer', minimum: 1, maximum: 1_000_000_000 },
        ],
      },
    },
  },
  required: [
    'minute',
    'apiId',
    'apiName',
    'apiVersion',
    'applicationId',
    'applicationName',
    'keyKind',
    'keyId',
    'keyType',
    'statusClass',
    'count',
    'latency',
  ],
  additionalProperties: false,
} as const;
const UsageBody = {
  type: 'object',
  properties: {
    flushId: { type: 'string', pattern: '^[A-Za-z0-9-]{8,64}$' },
    aggregates: { type: 'array', maxItems: MAX_USAGE_AGGREGATES, items: Aggregate },
  },
  required: ['flushId', 'aggregates'],
  additionalProperties: false,
} as const;

/**
 * `POST /internal/data/v1/usage` (gateways, `apim:admin`): a {@link UsageBatch} of per-minute aggregates, applied
 * once per `flushId` (a retry of an applied flush answers 200 `{applied: false}`). Answers `{applied}`.
 * Faults: 401 UNAUTHENTICATED, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED (nothing is written).
 */
export function internalUsageRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.post<{ Body: UsageBatch }>(
    '/internal/data/v1/usage',
    { config: { scopes: ['apim:admin'] }, schema: { body: UsageBody } },
    async (req) => ({ applied: await applyUsageFlush(ctx.store, req.body, ctx.clock.now()) }),
  );
}
