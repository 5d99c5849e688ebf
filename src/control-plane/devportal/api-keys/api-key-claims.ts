import { gatewayPathOf, type KeyType } from '../../../core/index.js';
import {
  subscriptionsRepository,
  throttlingPoliciesRepository,
  type Queryable,
} from '../../../store/index.js';

/** The super tenant: Portico has no tenants, but WSO2 clients expect the suffix and the domain. */
export const SUPER_TENANT = 'carbon.super';

/** WSO2 `APIUtil.getUserNameWithTenantSuffix`: `admin` → `admin@carbon.super`. */
export function withTenantSuffix(username: string): string {
  return username.endsWith(`@${SUPER_TENANT}`) ? username : `${username}@${SUPER_TENANT}`;
}

/** The application columns an API key needs. */
export interface KeyApplication {
  id: number;
  uuid: string;
  name: string;
  owner: string;
  throttling_policy: string;
}

export interface ClaimsInput {
  username: string;
  jti: string;
  issuer: string;
  /** Seconds since the epoch. */
  iat: number;
  validityPeriod: number;
  application: KeyApplication;
  keyType: KeyType;
  permittedIP: string | null;
  permittedReferer: string | null;
  /** Full WSO2 claim set (`enable_lightweight_apikey_generation = false`). */
  full: { subscribedAPIs: SubscribedApiClaim[]; tierInfo: Record<string, TierInfoClaim> } | null;
}

export interface SubscribedApiClaim {
  subscriberTenantDomain: string;
  name: string;
  context: string;
  publisher: string;
  version: string;
  subscriptionTier: string;
}

export interface TierInfoClaim {
  stopOnQuotaReach: boolean;
  spikeArrestLimit: number;
  spikeArrestUnit: string | null;
  tierQuotaType: 'requestCount' | 'bandwidthVolume';
}

const INT32_MAX = 2147483647;

/**
 * WSO2's `exp`: none for `-1` or a validity beyond `Integer.MAX_VALUE - now` (never expires). Other negative
 * validities give an `exp` in the past, so the key is born expired (a WSO2 quirk kept on purpose, §2.5).
 */
export function expiryOf(iat: number, validityPeriod: number): number | null {
  if (validityPeriod === -1 || validityPeriod > INT32_MAX - iat) return null;
  return iat + validityPeriod;
}

/** Claims of an API key in WSO2 4.4+ order: lightweight by default, full claim set when `full` is given. */
export function buildApiKeyClaims(input: ClaimsInput): Record<string, unknown> {
  const app = input.application;
  const exp = expiryOf(input.iat, input.validityPeriod);
  const claims: Record<string, unknown> = {
    sub: withTenantSuffix(input.username),
    jti: input.jti,
    iss: input.issuer,
    iat: input.iat,
  };
  if (exp !== null) claims.exp = exp;
  if (input.full === null) {
    claims.application = { id: app.id, uuid: app.uuid };
  } else {
    claims.application = {
      owner: app.owner,
      tier: app.throttling_policy,
      name: app.name,
      id: app.id,
      uuid: app.uuid,
    };
    claims.subscribedAPIs = input.full.subscribedAPIs;
    claims.tierInfo = input.full.tierInfo;
  }
  claims.keytype = input.keyType;
  claims.token_type = 'apiKey';
  if (input.permittedIP !== null) claims.permittedIP = input.permittedIP;
  if (input.permittedReferer !== null) claims.permittedReferer = input.permittedReferer;
  return claims;
}

interface PolicyDefinition {
  stopOnQuotaReach?: boolean;
  rateLimitCount?: number | null;
  rateLimitTimeUnit?: string | null;
  defaultLimit?: { type?: string } | null;
}

/**
 * `subscribedAPIs` and `tierInfo` of the full claim set: the application's current subscriptions (REJECTED and
 * ON_HOLD ones excluded) with `context` including the version, and the subscription policies they use.
 */
export async function fullClaimData(
  db: Queryable,
  applicationId: number,
): Promise<{ subscribedAPIs: SubscribedApiClaim[]; tierInfo: Record<string, TierInfoClaim> }> {
  const subs = await subscriptionsRepository(db).listCurrentWithApi(applicationId);
  const subscribedAPIs = subs.map((s) => ({
    subscriberTenantDomain: SUPER_TENANT,
    name: s.name,
    context: gatewayPathOf(s.context, s.version),
    publisher: s.provider,
    version: s.version,
    subscriptionTier: s.policy,
  }));
  const tiers = [...new Set(subs.map((s) => s.policy))];
  const tierInfo: Record<string, TierInfoClaim> = {};
  if (tiers.length > 0) {
    const rows = await throttlingPoliciesRepository(db).findByNames('subscription', tiers);
    const byName = new Map(rows.map((r) => [r.name, JSON.parse(r.definition) as PolicyDefinition]));
    for (const tier of tiers) {
      const d = byName.get(tier) ?? {};
      tierInfo[tier] = {
        stopOnQuotaReach: d.stopOnQuotaReach ?? true,
        spikeArrestLimit: d.rateLimitCount ?? 0,
        spikeArrestUnit: d.rateLimitTimeUnit ?? null,
        tierQuotaType: d.defaultLimit?.type === 'BANDWIDTHLIMIT' ? 'bandwidthVolume' : 'requestCount',
      };
    }
  }
  return { subscribedAPIs, tierInfo };
}
