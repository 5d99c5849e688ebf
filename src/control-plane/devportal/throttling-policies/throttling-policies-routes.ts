import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { throttlingPoliciesRepository, type ThrottlingPolicyRow } from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { PagingQuery, page, parsePaging } from '../../http/paging.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';

interface PolicyDefinition {
  displayName?: string;
  description?: string;
  defaultLimit?: {
    type?: string;
    requestCount?: { requestCount?: number; timeUnit?: string; unitTime?: number } | null;
    bandwidth?: { dataAmount?: number; dataUnit?: string; timeUnit?: string; unitTime?: number } | null;
  } | null;
  rateLimitCount?: number;
  rateLimitTimeUnit?: string | null;
  stopOnQuotaReach?: boolean;
  billingPlan?: string;
  customAttributes?: { name: string; value: string }[];
}

const UNIT_MS: Record<string, number> = { sec: 1000, min: 60_000, hour: 3_600_000, day: 86_400_000 };
const LEVELS = { type: 'string', enum: ['application', 'subscription'] } as const;

/** WSO2 Developer Portal `ThrottlingPolicy` from a stored admin-policy definition. Wire contract. */
export function throttlingPolicyDto(row: ThrottlingPolicyRow) {
  const d = JSON.parse(row.definition) as PolicyDefinition;
  const rc = d.defaultLimit?.requestCount;
  const bw = d.defaultLimit?.bandwidth;
  const timeUnit = rc?.timeUnit ?? bw?.timeUnit ?? 'min';
  const unitTime = rc?.unitTime ?? bw?.unitTime ?? 1;
  return {
    name: row.name,
    description: d.description ?? '',
    policyLevel: row.level,
    displayName: d.displayName ?? row.name,
    attributes: Object.fromEntries((d.customAttributes ?? []).map((a) => [a.name, a.value])),
    requestCount: rc?.requestCount ?? bw?.dataAmount ?? 0,
    dataUnit: bw?.dataUnit ?? null,
    unitTime: unitTime * (UNIT_MS[timeUnit] ?? 60_000),
    timeUnit,
    rateLimitCount: d.rateLimitCount ?? 0,
    rateLimitTimeUnit: d.rateLimitTimeUnit ?? null,
    quotaPolicyType: bw ? 'BANDWIDTHVOLUME' : 'REQUESTCOUNT',
    tierPlan: d.billingPlan ?? 'FREE',
    stopOnQuotaReach: d.stopOnQuotaReach ?? true,
    monetizationAttributes: null,
    throttlingPolicyPermissions: null,
  };
}

/**
 * `GET /throttling-policies/{policyLevel}` (application | subscription) and `.../{policyId}` (by name), any
 * authenticated caller. Faults: VALIDATION_FAILED (bad level or paging), POLICY_NOT_FOUND.
 */
export function throttlingPoliciesRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/throttling-policies`;
  app.get<{
    Params: { policyLevel: 'application' | 'subscription' };
    Querystring: { limit?: string; offset?: string };
  }>(
    `${base}/:policyLevel`,
    {
      config: { scopes: [] },
      schema: {
        params: { type: 'object', properties: { policyLevel: LEVELS }, required: ['policyLevel'] },
        querystring: { type: 'object', properties: PagingQuery },
      },
    },
    async (request) => {
      const rows = await throttlingPoliciesRepository(ctx.store).list(request.params.policyLevel);
      return page(
        rows.map(throttlingPolicyDto),
        parsePaging(request.query, { maxLimit: null }),
        `/throttling-policies/${request.params.policyLevel}`,
      );
    },
  );
  app.get<{ Params: { policyLevel: 'application' | 'subscription'; policyId: string } }>(
    `${base}/:policyLevel/:policyId`,
    {
      config: { scopes: [] },
      schema: {
        params: {
          type: 'object',
          properties: { policyLevel: LEVELS, policyId: { type: 'string', maxLength: 100 } },
          required: ['policyLevel', 'policyId'],
        },
      },
    },
    async (request) => {
      const { policyLevel, policyId } = request.params;
      const row = await throttlingPoliciesRepository(ctx.store).findByName(policyLevel, policyId);
      if (!row) throw new RestError('POLICY_NOT_FOUND', `Throttling policy ${policyId} not found`);
      return throttlingPolicyDto(row);
    },
  );
}
