import type { FastifyInstance } from 'fastify';
import { RestError, SUBSCRIPTIONLESS_TIERS } from '../../../core/index.js';
import { throttlingPoliciesRepository, type ThrottlingPolicyRow } from '../../../store/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { PagingQuery, page, parsePaging } from '../../http/paging.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { tierPermissionInfo, tierPermits } from './tier-permission.js';

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
    throttlingPolicyPermissions: row.level === 'subscription' ? tierPermissionInfo(row) : null,
  };
}

/** WSO2's internal `DefaultSubscriptionless` tiers mark APIs that need no subscription: nobody subscribes with them. */
const isSubscriptionlessTier = (r: { level: string; name: string }): boolean =>
  r.level === 'subscription' && SUBSCRIPTIONLESS_TIERS.includes(r.name);

/**
 * `GET /throttling-policies/{policyLevel}` (application | subscription) and `.../{policyId}` (by name), any
 * authenticated caller, who sees only the subscription tiers its roles may use (tier `permissions`); the list
 * leaves out the subscriptionless tiers.
 * Faults: VALIDATION_FAILED (bad level or paging), POLICY_NOT_FOUND (also for a tier not permitted).
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
      const caller = callerOf(request);
      const rows = await throttlingPoliciesRepository(ctx.store).list(request.params.policyLevel);
      return page(
        rows.filter((r) => tierPermits(r, caller) && !isSubscriptionlessTier(r)).map(throttlingPolicyDto),
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
      // A tier the caller may not use is not disclosed (as if it did not exist).
      if (!row || !tierPermits(row, callerOf(request)))
        throw new RestError('POLICY_NOT_FOUND', `Throttling policy ${policyId} not found`);
      return throttlingPolicyDto(row);
    },
  );
}
