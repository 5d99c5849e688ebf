import type {
  ApiLifecycle,
  KeyType,
  PolicyLevel,
  SnapshotApi,
  SnapshotApiKey,
  SnapshotApplication,
  SnapshotKeyManager,
  SnapshotKeyMapping,
  SnapshotSubscription,
  SnapshotThrottlePolicy,
  SubscriptionStatus,
} from '../../core/index.js';
import { parseDefinition, toSnapshotKeyManager } from '../../key-manager/external/index.js';
import type {
  ApiKeyRow,
  DeployedApiRow,
  GatewayApplicationRow,
  GatewayKeyManagerRow,
  GatewayKeyMappingRow,
  GatewayPolicyRow,
  GatewaySubscriptionRow,
} from '../../store/index.js';
import { apiToSnapshot, type ApiDefinitionForGateway } from './api-to-snapshot.js';
import type { SnapshotExtras } from './snapshot-extras.js';

/** Store rows → the gateway's snapshot entities. Used by the full snapshot and by change deltas alike. */

export function snapshotApi(row: DeployedApiRow): SnapshotApi {
  const def = JSON.parse(row.definition) as ApiDefinitionForGateway;
  return apiToSnapshot({ ...def, id: row.id }, row.lifecycle as ApiLifecycle);
}

export function snapshotApplication(a: GatewayApplicationRow): SnapshotApplication {
  return {
    id: a.id,
    uuid: a.uuid,
    name: a.name,
    owner: a.owner,
    throttlingPolicy: a.throttling_policy,
    attributes: JSON.parse(a.attributes) as Record<string, string>,
  };
}

export function snapshotKeyMapping(m: GatewayKeyMappingRow): SnapshotKeyMapping {
  return {
    consumerKey: m.consumer_key,
    keyManager: m.key_manager,
    applicationId: m.application_id,
    keyType: m.key_type as KeyType,
  };
}

export function snapshotSubscription(s: GatewaySubscriptionRow): SnapshotSubscription {
  return {
    id: s.uuid,
    applicationId: s.application_id,
    apiId: s.api_id,
    policy: s.policy,
    status: s.status as SubscriptionStatus,
  };
}

/** Policy definition fields read from `throttling_policies.definition` (admin REST v4 shape). */
interface PolicyDefinition {
  defaultLimit?: {
    requestCount?: { requestCount?: number; timeUnit?: string; unitTime?: number } | null;
  } | null;
  requestCount?: number | null;
  unitTime?: number;
  timeUnit?: string;
  stopOnQuotaReach?: boolean;
  rateLimitCount?: number;
  rateLimitTimeUnit?: string;
  /** Application policies: burst control per (application, end user). */
  burstLimit?: { rateLimitCount?: number | null; rateLimitTimeUnit?: string | null } | null;
}

const UNIT_MS: Record<string, number> = {
  sec: 1000,
  min: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 2_592_000_000,
};

export function snapshotPolicy(p: GatewayPolicyRow): SnapshotThrottlePolicy {
  const d = JSON.parse(p.definition) as PolicyDefinition;
  const rc = d.defaultLimit?.requestCount ?? null;
  const count = rc?.requestCount ?? d.requestCount ?? null;
  const unitTime = rc?.unitTime ?? d.unitTime ?? 1;
  const timeUnit = rc?.timeUnit ?? d.timeUnit ?? 'min';
  const unlimited =
    p.name === 'Unlimited' || count === null || count === undefined || count < 0 || count >= 2147483647;
  return {
    name: p.name,
    level: p.level as PolicyLevel,
    requestCount: unlimited ? null : count,
    unitTimeMs: unitTime * (UNIT_MS[timeUnit] ?? 60_000),
    stopOnQuotaReach: d.stopOnQuotaReach ?? true,
    burst: p.level === 'application' ? burstOf(d.burstLimit ?? {}) : burstOf(d),
  };
}

/** A burst control (`rateLimitCount` per `rateLimitTimeUnit`), or null when the count is unset or 0. */
function burstOf(b: {
  rateLimitCount?: number | null;
  rateLimitTimeUnit?: string | null;
}): SnapshotThrottlePolicy['burst'] {
  const limit = b.rateLimitCount ?? 0;
  return limit > 0 ? { limit, unit: b.rateLimitTimeUnit === 'min' ? 'min' : 'sec' } : null;
}

/**
 * An enabled row of `key_managers` as the gateway sees it, or null when it cannot be served (unreadable
 * definition, or it clashes with the resident key manager) or must not be: a `tokenType` `EXCHANGED` manager, which
 * the Admin API refuses now but an older version stored, is kept off the gateways as WSO2 keeps it (its tokens are
 * only good for a token exchange, which Portico does not do).
 */
export function snapshotKeyManager(
  row: GatewayKeyManagerRow,
  extras: SnapshotExtras,
): SnapshotKeyManager | null {
  const def = parseDefinition(row.definition);
  const resident = extras.residentKeyManager;
  if (def === null || row.name === resident.name || def.issuer === resident.issuer) return null;
  if (def.tokenType === 'EXCHANGED') return null;
  return toSnapshotKeyManager(
    { ...def, name: row.name, enabled: true },
    extras.externalJwks?.(row.name) ?? [],
  );
}

/** Revocation expiry in the snapshot's unit (epoch seconds). */
export const revocationExp = (expiresAtMs: number | null): number | null =>
  expiresAtMs === null ? null : Math.floor(expiresAtMs / 1000);

/** An `api_keys` row as the gateway holds it (`Snapshot.apiKeys`): the HMAC of an opaque key, never the key. */
export function snapshotApiKey(row: ApiKeyRow): SnapshotApiKey {
  return {
    jti: row.jti,
    format: row.format === 'opaque' ? 'opaque' : 'jwt',
    hash: row.key_hash,
    applicationId: row.application_id,
    apiId: row.api_id,
    keyType: row.key_type === 'SANDBOX' ? 'SANDBOX' : 'PRODUCTION',
    subject: row.issued_by,
    permittedIP: row.permitted_ip,
    permittedReferer: row.permitted_referer,
    expiresAt: row.expires_at,
    graceExpiresAt: row.grace_expires_at,
  };
}
