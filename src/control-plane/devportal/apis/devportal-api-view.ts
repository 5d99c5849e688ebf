import { RestError, gatewayPathOf } from '../../../core/index.js';
import {
  throttlingPoliciesRepository,
  type ThrottlingPolicyRow,
  type Queryable,
} from '../../../store/index.js';
import type { Caller } from '../../auth/authenticate.js';
import type { PorticoUrls } from '../../context.js';
import { effectiveRoles } from '../../users/roles.js';
import { findApiOr404, rowToDto, type ApiDto } from '../../publisher/index.js';
import { tierPermissionInfo, tierPermits } from '../throttling-policies/index.js';

/** Lifecycle states the Developer Portal shows. */
export const VISIBLE_STATES = ['PUBLISHED', 'DEPRECATED'];

/**
 * Whether a caller (null = anonymous) may see an API: PUBLIC to everyone, PRIVATE to any signed-in user,
 * RESTRICTED to holders of one of `visibleRoles` (admins always; WSO2 spellings such as `Internal/subscriber` too).
 */
export function visibleTo(dto: ApiDto, caller: Caller | null): boolean {
  if (!VISIBLE_STATES.includes(dto.lifeCycleStatus)) return false;
  if (dto.visibility === 'PUBLIC') return true;
  if (!caller) return false;
  if (dto.visibility === 'PRIVATE' || caller.roles.includes('admin')) return true;
  const held = effectiveRoles(caller.roles);
  return dto.visibleRoles.some((r) => held.has(r));
}

/**
 * The API as the Developer Portal may show it to `caller`.
 * @throws RestError API_NOT_FOUND (missing, not published/deprecated, or not visible — never revealing which).
 */
export async function visibleApiOr404(db: Queryable, apiId: string, caller: Caller | null): Promise<ApiDto> {
  const dto = rowToDto(await findApiOr404(db, apiId));
  if (!visibleTo(dto, caller)) throw new RestError('API_NOT_FOUND', `API ${apiId} not found`);
  return dto;
}

/**
 * Developer Portal `APIInfo` (context includes the version, as WSO2's Developer Portal shows it).
 * `hiddenTiers`: tiers whose permissions exclude the viewer, left out of `throttlingPolicies`.
 */
export function devportalApiInfo(dto: ApiDto, hiddenTiers: ReadonlySet<string> = new Set()) {
  return {
    id: dto.id,
    name: dto.name,
    description: dto.description,
    context: gatewayPathOf(dto.context, dto.version),
    version: dto.version,
    type: dto.type,
    createdTime: dto.createdTime,
    provider: dto.provider,
    lifeCycleStatus: dto.lifeCycleStatus,
    thumbnailUri: null,
    avgRating: '0.0',
    throttlingPolicies: dto.policies.filter((n) => !hiddenTiers.has(n)),
    businessInformation: dto.businessInformation,
    isSubscriptionAvailable: dto.lifeCycleStatus === 'PUBLISHED',
    monetizationLabel: 'FREE',
    gatewayVendor: 'wso2',
    additionalProperties: [],
    tags: dto.tags,
  };
}

/**
 * Developer Portal `API` resource; `tiers` are the ones offered to the viewer ({@link offeredPolicies}).
 * `showUrls: false` (the Publisher set `displayOnDevportal: false` on its deployment) leaves `endpointURLs` empty.
 */
export function devportalApi(
  dto: ApiDto,
  tiers: readonly ThrottlingPolicyRow[],
  urls: PorticoUrls,
  showUrls = true,
) {
  const path = gatewayPathOf(dto.context, dto.version);
  const planOf = (name: string) => {
    const row = tiers.find((t) => t.name === name);
    const plan = row ? (JSON.parse(row.definition) as { billingPlan?: string }).billingPlan : undefined;
    return plan ?? 'FREE';
  };
  return {
    id: dto.id,
    name: dto.name,
    description: dto.description,
    context: path,
    version: dto.version,
    provider: dto.provider,
    lifeCycleStatus: dto.lifeCycleStatus,
    isDefaultVersion: dto.isDefaultVersion,
    type: dto.type,
    transport: dto.transport,
    operations: dto.operations.map((o) => ({
      id: o.id ?? '',
      target: o.target,
      verb: o.verb,
      scopes: o.scopes,
    })),
    authorizationHeader: dto.authorizationHeader,
    apiKeyHeader: dto.apiKeyHeader,
    securityScheme: dto.securityScheme,
    tags: dto.tags,
    tiers: tiers.map(({ name }) => ({
      tierName: name,
      tierPlan: planOf(name),
      monetizationAttributes: null,
    })),
    hasThumbnail: false,
    additionalProperties: [],
    monetization: { enabled: false },
    endpointURLs: showUrls ? [defaultEnvironmentUrls(dto, urls, path)] : [],
    businessInformation: dto.businessInformation,
    scopes: dto.scopes.map((s) => ({
      key: s.scope.name,
      name: s.scope.displayName,
      roles: s.scope.bindings,
      description: s.scope.description,
    })),
    createdTime: dto.createdTime,
    lastUpdatedTime: dto.lastUpdatedTime,
  };
}

const UNIT_MS: Record<string, number> = { sec: 1000, min: 60_000, hour: 3_600_000, day: 86_400_000 };

interface StoredPolicy {
  policyName?: string;
  displayName?: string;
  description?: string;
  defaultLimit?: { requestCount?: { requestCount?: number; timeUnit?: string; unitTime?: number } };
  rateLimitCount?: number;
  rateLimitTimeUnit?: string | null;
  stopOnQuotaReach?: boolean;
  billingPlan?: string;
}

/** A subscription policy as the Developer Portal's `ThrottlingPolicy` (unitTime in milliseconds). */
export function devportalPolicy(row: ThrottlingPolicyRow) {
  const d = JSON.parse(row.definition) as StoredPolicy;
  const rc = d.defaultLimit?.requestCount;
  const timeUnit = rc?.timeUnit ?? 'min';
  return {
    name: row.name,
    description: d.description ?? '',
    policyLevel: 'subscription',
    displayName: d.displayName ?? row.name,
    attributes: {},
    requestCount: rc?.requestCount ?? 0,
    dataUnit: null,
    unitTime: (rc?.unitTime ?? 1) * (UNIT_MS[timeUnit] ?? 60_000),
    timeUnit,
    rateLimitCount: d.rateLimitCount ?? 0,
    rateLimitTimeUnit: d.rateLimitTimeUnit ?? null,
    quotaPolicyType: 'REQUESTCOUNT',
    tierPlan: d.billingPlan ?? 'FREE',
    stopOnQuotaReach: d.stopOnQuotaReach ?? true,
    monetizationAttributes: null,
    throttlingPolicyPermissions: tierPermissionInfo(row),
  };
}

/**
 * The subscription policies an API offers to `caller` (null = anonymous), in its `policies` order: missing ones
 * and those whose permissions exclude the caller are skipped.
 */
export async function offeredPolicies(
  db: Queryable,
  dto: ApiDto,
  caller: Caller | null,
): Promise<ThrottlingPolicyRow[]> {
  const all = await throttlingPoliciesRepository(db).list('subscription');
  return dto.policies.flatMap((n) => all.filter((r) => r.name === n && tierPermits(r, caller)));
}

/** Names of the subscription tiers whose permissions exclude `caller` (for API listings). */
export async function hiddenTiers(db: Queryable, caller: Caller | null): Promise<Set<string>> {
  const all = await throttlingPoliciesRepository(db).list('subscription');
  return new Set(all.filter((r) => !tierPermits(r, caller)).map((r) => r.name));
}

/** The `endpointURLs` entry of the Default environment: the gateway URLs of the API's transports. */
function defaultEnvironmentUrls(dto: ApiDto, urls: PorticoUrls, path: string) {
  return {
    environmentName: 'Default',
    environmentDisplayName: 'Default',
    environmentType: 'hybrid',
    URLs: {
      http: urls.gatewayHttp && dto.transport.includes('http') ? `${urls.gatewayHttp}${path}` : null,
      https: dto.transport.includes('https') ? `${urls.gatewayHttps}${path}` : null,
      ws: null,
      wss: null,
    },
    defaultVersionURLs: { http: null, https: null, ws: null, wss: null },
  };
}
