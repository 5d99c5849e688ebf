import Type, { type TSchema } from 'typebox';
import { RestError } from '../../core/index.js';
import type { ThrottlingPolicyLevel } from '../../store/index.js';
import { isInert, refuseUnsupportedFields, type FieldSupport } from '../http/unsupported-fields.js';
import { isRoleName } from '../users/roles.js';

/** URL segment → stored level (`advanced` is stored as `api`, the level the gateway applies per API/resource). */
export const LEVELS = { subscription: 'subscription', application: 'application', advanced: 'api' } as const;
export type UrlLevel = keyof typeof LEVELS;

const TYPES: Record<ThrottlingPolicyLevel, string> = {
  subscription: 'SubscriptionThrottlePolicy',
  application: 'ApplicationThrottlePolicy',
  api: 'AdvancedThrottlePolicy',
};
const TIME_UNITS = ['sec', 'min', 'hour', 'day'];
const NAME_RE = /^[A-Za-z0-9._-]{1,60}$/;

/** The admin v4 policy DTO as stored in `throttling_policies.definition` (fields read by the snapshot builder kept). */
export type PolicyDto = Record<string, unknown> & { policyId: string; policyName: string };

type Problems = { code: string; message: string }[];

const COMMON = ['policyName', 'displayName', 'description', 'defaultLimit'];
/** Which fields each level stores; WSO2's that Portico does not support are refused unless unused. */
const FIELDS: Record<ThrottlingPolicyLevel, FieldSupport> = {
  subscription: {
    resource: 'subscription policy',
    writable: [
      ...COMMON,
      ...['rateLimitCount', 'rateLimitTimeUnit', 'stopOnQuotaReach', 'billingPlan', 'customAttributes'],
      'permissions',
    ],
    readOnly: new Set(['policyId', 'isDeployed', 'type']),
    unsupported: {
      monetization: isInert,
      subscriberCount: isInert,
      graphQLMaxComplexity: isInert,
      graphQLMaxDepth: isInert,
    },
  },
  application: {
    resource: 'application policy',
    writable: [...COMMON, 'burstLimit'],
    readOnly: new Set(['policyId', 'isDeployed', 'type']),
    unsupported: {},
  },
  api: {
    resource: 'advanced policy',
    writable: [...COMMON, 'conditionalGroups'],
    readOnly: new Set(['policyId', 'isDeployed', 'type']),
    unsupported: {},
  },
};
const LIMIT_FIELDS: FieldSupport = {
  resource: 'throttle limit',
  writable: ['type', 'requestCount'],
  readOnly: new Set(),
  unsupported: { bandwidth: isInert, eventCount: isInert, aiApiQuota: isInert },
};

const nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Text = Type.String({ maxLength: 1000 });

/**
 * JSON types of an admin v4 throttling policy body (POST and PUT; a PUT may omit what it keeps). The rules
 * beyond types are {@link normalizePolicy}'s. Read-only and unknown WSO2 fields are tolerated.
 */
export const PolicyBody = Type.Object(
  {
    policyId: nullable(Text),
    policyName: Type.Optional(Text),
    displayName: nullable(Text),
    description: nullable(Text),
    isDeployed: nullable(Type.Boolean()),
    type: nullable(Text),
    defaultLimit: Type.Optional(
      Type.Object(
        {
          type: Text,
          requestCount: nullable(
            Type.Object(
              { timeUnit: Text, unitTime: Type.Integer(), requestCount: Type.Integer() },
              { additionalProperties: true },
            ),
          ),
          bandwidth: nullable(Type.Object({}, { additionalProperties: true })),
        },
        { additionalProperties: true },
      ),
    ),
    rateLimitCount: nullable(Type.Integer()),
    rateLimitTimeUnit: nullable(Text),
    stopOnQuotaReach: nullable(Type.Boolean()),
    billingPlan: nullable(Text),
    customAttributes: nullable(Type.Array(Type.Unknown(), { maxItems: 100 })),
    permissions: nullable(Type.Object({ permissionType: Text, roles: Type.Array(Text, { maxItems: 100 }) })),
    burstLimit: nullable(
      Type.Object({ rateLimitCount: nullable(Type.Integer()), rateLimitTimeUnit: nullable(Text) }),
    ),
    conditionalGroups: nullable(Type.Array(Type.Unknown(), { maxItems: 100 })),
  },
  { additionalProperties: true },
);

/** What a stored policy that predates a field reads as (WSO2's defaults), so GET → PUT returns what GET showed. */
export function policyDefaults(level: ThrottlingPolicyLevel): Record<string, unknown> {
  if (level === 'application') return { burstLimit: null };
  if (level === 'api') return { conditionalGroups: [] };
  return {
    rateLimitCount: 0,
    rateLimitTimeUnit: null,
    stopOnQuotaReach: true,
    billingPlan: 'FREE',
    customAttributes: [],
    subscriberCount: 0,
    graphQLMaxComplexity: 0,
    graphQLMaxDepth: 0,
    permissions: null,
  };
}

/**
 * Validates an admin REST policy body for `level` and returns the DTO to store. For a PUT, `current` is the stored DTO:
 * the name cannot change and omitted optional fields keep their values.
 * @throws RestError VALIDATION_FAILED, UNSUPPORTED_OPERATION (bandwidth limits, conditional groups),
 * UNSUPPORTED_FIELD (a field the level does not have, or a WSO2 feature Portico does not support, set).
 */
export function normalizePolicy(
  level: ThrottlingPolicyLevel,
  raw: unknown,
  policyId: string,
  current?: PolicyDto,
): PolicyDto {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new RestError('VALIDATION_FAILED', 'The body must be a throttling policy object');
  refuseUnsupportedFields(raw as Record<string, unknown>, FIELDS[level]);
  const b: Record<string, unknown> = { ...(current ?? {}), ...(raw as Record<string, unknown>) };
  const p: Problems = [];
  const bad = (f: string, m: string) => p.push({ code: 'VALIDATION_FAILED', message: `${f} ${m}` });

  const policyName = b.policyName;
  if (typeof policyName !== 'string' || !NAME_RE.test(policyName))
    bad('policyName', 'is required: 1-60 letters, digits, . _ -');
  if (current && policyName !== current.policyName) bad('policyName', 'cannot be changed');
  const displayName = b.displayName ?? policyName;
  if (typeof displayName !== 'string' || displayName.length > 100) bad('displayName', 'must be a string');
  const description = b.description ?? '';
  if (typeof description !== 'string' || description.length > 1000) bad('description', 'must be a string');

  const limit = b.defaultLimit as Record<string, unknown> | undefined;
  let requestCount: { timeUnit: string; unitTime: number; requestCount: number } | null = null;
  if (typeof limit !== 'object' || limit === null) bad('defaultLimit', 'is required');
  else if (limit.type === 'BANDWIDTHLIMIT')
    throw new RestError('UNSUPPORTED_OPERATION', 'Bandwidth limits are not supported; use REQUESTCOUNTLIMIT');
  else if (limit.type !== 'REQUESTCOUNTLIMIT') bad('defaultLimit.type', "must be 'REQUESTCOUNTLIMIT'");
  else {
    refuseUnsupportedFields(limit, LIMIT_FIELDS, 'defaultLimit.');
    const rc = limit.requestCount as Record<string, unknown> | undefined;
    if (typeof rc !== 'object' || rc === null) bad('defaultLimit.requestCount', 'is required');
    else {
      if (!TIME_UNITS.includes(rc.timeUnit as string))
        bad('defaultLimit.requestCount.timeUnit', `must be one of ${TIME_UNITS.join(', ')}`);
      if (!isInt(rc.unitTime, 1)) bad('defaultLimit.requestCount.unitTime', 'must be an integer >= 1');
      if (!isInt(rc.requestCount, 1))
        bad('defaultLimit.requestCount.requestCount', 'must be an integer >= 1');
      requestCount = {
        timeUnit: rc.timeUnit as string,
        unitTime: rc.unitTime as number,
        requestCount: rc.requestCount as number,
      };
    }
  }

  const out: PolicyDto = {
    policyId,
    policyName: policyName as string,
    displayName: displayName as string,
    description: description as string,
    isDeployed: true,
    type: TYPES[level],
    defaultLimit: { type: 'REQUESTCOUNTLIMIT', requestCount },
  };

  if (level === 'subscription') {
    const rateLimitCount = b.rateLimitCount ?? 0;
    if (!isInt(rateLimitCount, 0)) bad('rateLimitCount', 'must be an integer from 0 to 2147483647');
    const unit = b.rateLimitTimeUnit ?? null;
    if ((rateLimitCount as number) > 0 && unit !== 'sec' && unit !== 'min')
      bad('rateLimitTimeUnit', "must be 'sec' or 'min' when rateLimitCount is set");
    const stopOnQuotaReach = b.stopOnQuotaReach ?? true;
    if (typeof stopOnQuotaReach !== 'boolean') bad('stopOnQuotaReach', 'must be a boolean');
    const billingPlan = b.billingPlan ?? 'FREE';
    if (billingPlan !== 'FREE' && billingPlan !== 'COMMERCIAL')
      bad('billingPlan', "must be 'FREE' or 'COMMERCIAL'");
    const customAttributes = b.customAttributes ?? [];
    if (!Array.isArray(customAttributes)) bad('customAttributes', 'must be an array');
    Object.assign(out, {
      rateLimitCount,
      rateLimitTimeUnit: (rateLimitCount as number) > 0 ? unit : null,
      stopOnQuotaReach,
      billingPlan,
      customAttributes,
      subscriberCount: 0,
      graphQLMaxComplexity: 0,
      graphQLMaxDepth: 0,
      permissions: tierPermission(b.permissions ?? null, bad),
    });
  }
  if (level === 'application') out.burstLimit = burstLimit(b.burstLimit ?? null, bad);
  if (level === 'api') {
    const groups = b.conditionalGroups ?? [];
    if (!Array.isArray(groups)) bad('conditionalGroups', 'must be an array');
    else if (groups.length > 0)
      throw new RestError(
        'UNSUPPORTED_OPERATION',
        'Conditional groups are not supported; use the default limit',
      );
    out.conditionalGroups = [];
  }
  if (p.length) throw new RestError('VALIDATION_FAILED', p.map((x) => x.message).join('; '), p);
  return out;
}

/** `permissions` of a subscription tier: null (open to all) or ALLOW/DENY (any case, stored upper-case) + roles. */
function tierPermission(v: unknown, bad: (f: string, m: string) => void) {
  if (v === null) return null;
  const p = v as { permissionType?: unknown; roles?: unknown };
  const type = typeof p.permissionType === 'string' ? p.permissionType.toUpperCase() : '';
  if (type !== 'ALLOW' && type !== 'DENY') bad('permissions.permissionType', "must be 'ALLOW' or 'DENY'");
  const roles = p.roles;
  if (!Array.isArray(roles) || roles.length === 0 || !roles.every(isRoleName))
    bad('permissions.roles', 'must be 1 to 100 role names (letters, digits, . _ @ / -)');
  return { permissionType: type, roles: Array.isArray(roles) ? [...new Set(roles as string[])] : [] };
}

/** `burstLimit` of an application policy: the gateway refuses over it per (application, end user) with 900809. */
function burstLimit(v: unknown, bad: (f: string, m: string) => void) {
  if (v === null) return null;
  const b = v as { rateLimitCount?: unknown; rateLimitTimeUnit?: unknown };
  const count = b.rateLimitCount ?? 0;
  if (!isInt(count, 0)) bad('burstLimit.rateLimitCount', 'must be an integer from 0 to 2147483647');
  const unit = b.rateLimitTimeUnit ?? null;
  if ((count as number) > 0 && unit !== 'sec' && unit !== 'min')
    bad('burstLimit.rateLimitTimeUnit', "must be 'sec' or 'min' when rateLimitCount is set");
  return { rateLimitCount: count, rateLimitTimeUnit: unit };
}

function isInt(v: unknown, min: number): boolean {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= 2_147_483_647;
}
