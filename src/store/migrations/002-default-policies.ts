import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';

interface Seed {
  level: 'subscription' | 'application' | 'api';
  name: string;
  count: number | null;
  description: string;
}

/** WSO2's default throttling policies (wso2-compat.md §9): 1-minute request-count quotas, stopOnQuotaReach. */
const SEEDS: Seed[] = [
  { level: 'subscription', name: 'Gold', count: 5000, description: 'Allows 5000 requests per minute' },
  { level: 'subscription', name: 'Silver', count: 2000, description: 'Allows 2000 requests per minute' },
  { level: 'subscription', name: 'Bronze', count: 1000, description: 'Allows 1000 requests per minute' },
  {
    level: 'subscription',
    name: 'Unauthenticated',
    count: 500,
    description: 'Allows 500 request(s) per minute',
  },
  { level: 'subscription', name: 'Unlimited', count: null, description: 'Allows unlimited requests' },
  { level: 'application', name: '50PerMin', count: 50, description: 'Allows 50 request per minute' },
  { level: 'application', name: '20PerMin', count: 20, description: 'Allows 20 request per minute' },
  { level: 'application', name: '10PerMin', count: 10, description: 'Allows 10 request per minute' },
  { level: 'application', name: 'Unlimited', count: null, description: 'Allows unlimited requests' },
  { level: 'api', name: '50KPerMin', count: 50000, description: 'Allows 50000 requests per minute' },
  { level: 'api', name: '20KPerMin', count: 20000, description: 'Allows 20000 requests per minute' },
  { level: 'api', name: '10KPerMin', count: 10000, description: 'Allows 10000 requests per minute' },
  { level: 'api', name: 'Unlimited', count: null, description: 'Allows unlimited requests' },
];

/**
 * Definition JSON follows the admin REST v4 policy DTOs: `defaultLimit.requestCount {requestCount, timeUnit, unitTime}`,
 * `stopOnQuotaReach`, `rateLimitCount`/`rateLimitTimeUnit` (burst), `isDeployed`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const now = Date.now();
  const k = db as unknown as Kysely<{ throttling_policies: Record<string, unknown> }>;
  for (const s of SEEDS) {
    const uuid = randomUUID();
    const definition = {
      policyId: uuid,
      policyName: s.name,
      displayName: s.name,
      description: s.description,
      isDeployed: true,
      type:
        s.level === 'subscription'
          ? 'SubscriptionThrottlePolicy'
          : s.level === 'application'
            ? 'ApplicationThrottlePolicy'
            : 'AdvancedThrottlePolicy',
      defaultLimit: {
        type: 'REQUESTCOUNTLIMIT',
        requestCount: { timeUnit: 'min', unitTime: 1, requestCount: s.count ?? 2147483647 },
      },
      ...(s.level === 'subscription'
        ? {
            rateLimitCount: 0,
            rateLimitTimeUnit: null,
            stopOnQuotaReach: true,
            billingPlan: 'FREE',
            subscriberCount: 0,
          }
        : {}),
    };
    await k
      .insertInto('throttling_policies')
      .values({
        uuid,
        level: s.level,
        name: s.name,
        definition: JSON.stringify(definition),
        created_at: now,
        updated_at: now,
      })
      .execute();
  }
}
