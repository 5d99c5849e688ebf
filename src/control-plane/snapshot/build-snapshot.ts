import type {
  ApiLifecycle,
  JsonWebKeyPublic,
  KeyType,
  PolicyLevel,
  Snapshot,
  SnapshotKeyManager,
  SnapshotThrottlePolicy,
  SubscriptionStatus,
} from '../../core/index.js';
import { SNAPSHOT_SCHEMA } from '../../core/index.js';
import { parseDefinition, toSnapshotKeyManager } from '../../key-manager/external/index.js';
import type { Store } from '../../store/index.js';
import { apiToSnapshot, type ApiDefinitionForGateway } from './api-to-snapshot.js';

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
}

export interface SnapshotExtras {
  /** Key managers known outside the store (the resident one, from the primary key). */
  residentKeyManager: SnapshotKeyManager;
  /** External key managers as the key-manager module maps them (JWKS already fetched), if any. */
  externalKeyManagers?: () => SnapshotKeyManager[];
  /**
   * Current JWKS of an external key manager of the `key_managers` table (the JWKS refresher's keys). Without it,
   * those managers are in the snapshot with no keys.
   */
  externalJwks?: (name: string) => readonly JsonWebKeyPublic[];
  /** Trust store certificates by alias. */
  trustedCerts: () => Record<string, string>;
}

/** Reads the whole gateway state from the store into one immutable snapshot. */
export async function buildSnapshot(
  store: Store,
  version: number,
  now: number,
  extras: SnapshotExtras,
): Promise<Snapshot> {
  const db = store.db;
  const [deployed, apps, mappings, subs, policies, revoked, managers] = await Promise.all([
    db
      .selectFrom('api_deployments as d')
      .innerJoin('api_revisions as r', 'r.id', 'd.revision_id')
      .innerJoin('apis as a', 'a.id', 'd.api_id')
      .select(['a.id as id', 'a.lifecycle as lifecycle', 'r.definition as definition'])
      .where('d.environment', '=', 'Default')
      .execute(),
    db.selectFrom('applications').selectAll().execute(),
    db
      .selectFrom('key_mappings')
      .select(['consumer_key', 'key_manager', 'application_id', 'key_type'])
      .execute(),
    db.selectFrom('subscriptions').select(['uuid', 'application_id', 'api_id', 'policy', 'status']).execute(),
    db.selectFrom('throttling_policies').selectAll().execute(),
    db
      .selectFrom('revoked_tokens')
      .select(['jti', 'expires_at'])
      .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
      .execute(),
    db
      .selectFrom('key_managers')
      .select(['name', 'definition'])
      .where('enabled', '=', 1)
      .orderBy('name')
      .execute(),
  ]);
  return {
    schema: SNAPSHOT_SCHEMA,
    version,
    createdAt: now,
    apis: deployed.map((d) => {
      const def = JSON.parse(d.definition) as ApiDefinitionForGateway;
      return apiToSnapshot({ ...def, id: d.id }, d.lifecycle as ApiLifecycle);
    }),
    applications: apps.map((a) => ({
      id: a.id,
      uuid: a.uuid,
      name: a.name,
      owner: a.owner,
      throttlingPolicy: a.throttling_policy,
      attributes: JSON.parse(a.attributes) as Record<string, string>,
    })),
    keyMappings: mappings.map((m) => ({
      consumerKey: m.consumer_key,
      keyManager: m.key_manager,
      applicationId: m.application_id,
      keyType: m.key_type as KeyType,
    })),
    subscriptions: subs.map((s) => ({
      id: s.uuid,
      applicationId: s.application_id,
      apiId: s.api_id,
      policy: s.policy,
      status: s.status as SubscriptionStatus,
    })),
    policies: policies.map((p) =>
      toSnapshotPolicy(p.level as PolicyLevel, p.name, JSON.parse(p.definition) as PolicyDefinition),
    ),
    keyManagers: keyManagersOf(extras, managers),
    trustedCerts: extras.trustedCerts(),
    revokedTokens: revoked.map((r) => ({
      jti: r.jti,
      exp: r.expires_at === null ? null : Math.floor(r.expires_at / 1000),
    })),
  };
}

/** The resident key manager, the enabled rows of `key_managers` with their JWKS, then the legacy hook's extras. */
function keyManagersOf(
  extras: SnapshotExtras,
  rows: { name: string; definition: string }[],
): SnapshotKeyManager[] {
  const out: SnapshotKeyManager[] = [extras.residentKeyManager];
  for (const row of rows) {
    const def = parseDefinition(row.definition);
    // An unreadable definition or a clash with the resident manager never breaks the snapshot.
    const resident = extras.residentKeyManager;
    if (def === null || row.name === resident.name || def.issuer === resident.issuer) continue;
    out.push(
      toSnapshotKeyManager({ ...def, name: row.name, enabled: true }, extras.externalJwks?.(row.name) ?? []),
    );
  }
  const names = new Set(out.map((k) => k.name));
  for (const km of extras.externalKeyManagers?.() ?? []) if (!names.has(km.name)) out.push(km);
  return out;
}

const UNIT_MS: Record<string, number> = {
  sec: 1000,
  min: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
  month: 2_592_000_000,
};

function toSnapshotPolicy(level: PolicyLevel, name: string, d: PolicyDefinition): SnapshotThrottlePolicy {
  const rc = d.defaultLimit?.requestCount ?? null;
  const count = rc?.requestCount ?? d.requestCount ?? null;
  const unitTime = rc?.unitTime ?? d.unitTime ?? 1;
  const timeUnit = rc?.timeUnit ?? d.timeUnit ?? 'min';
  const unlimited =
    name === 'Unlimited' || count === null || count === undefined || count < 0 || count >= 2147483647;
  return {
    name,
    level,
    requestCount: unlimited ? null : count,
    unitTimeMs: unitTime * (UNIT_MS[timeUnit] ?? 60_000),
    stopOnQuotaReach: d.stopOnQuotaReach ?? true,
    burst:
      d.rateLimitCount && d.rateLimitCount > 0
        ? { limit: d.rateLimitCount, unit: d.rateLimitTimeUnit === 'min' ? 'min' : 'sec' }
        : null,
  };
}
