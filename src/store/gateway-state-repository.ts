import { dbOf, type Queryable } from './open-store.js';

/** A deployed API: its id, lifecycle and the definition of the deployed revision (JSON text). */
export interface DeployedApiRow {
  id: string;
  lifecycle: string;
  definition: string;
}

export interface GatewayApplicationRow {
  id: number;
  uuid: string;
  name: string;
  owner: string;
  throttling_policy: string;
  attributes: string;
}

export interface GatewayKeyMappingRow {
  consumer_key: string;
  key_manager: string;
  application_id: number;
  key_type: string;
}

export interface GatewaySubscriptionRow {
  uuid: string;
  application_id: number;
  api_id: string;
  policy: string;
  status: string;
}

export interface GatewayPolicyRow {
  level: string;
  name: string;
  definition: string;
}

export interface GatewayRevocationRow {
  jti: string;
  expires_at: number | null;
}

export interface GatewayKeyManagerRow {
  name: string;
  definition: string;
}

/**
 * Reads of what gateways serve, for a full snapshot (no filter) or for the aggregates a change names (a filter of
 * keys). Every read takes an optional filter so a delta costs O(change), never O(store).
 */
export interface GatewayStateRepository {
  deployedApis(ids?: readonly string[]): Promise<DeployedApiRow[]>;
  applications(ids?: readonly number[]): Promise<GatewayApplicationRow[]>;
  keyMappings(keys?: readonly { keyManager: string; consumerKey: string }[]): Promise<GatewayKeyMappingRow[]>;
  subscriptions(uuids?: readonly string[]): Promise<GatewaySubscriptionRow[]>;
  policies(keys?: readonly { level: string; name: string }[]): Promise<GatewayPolicyRow[]>;
  /** Revocations not yet expired at `now` (all of them when `jtis` is given). */
  revocations(now: number, jtis?: readonly string[]): Promise<GatewayRevocationRow[]>;
  /** Enabled external key managers, by name. */
  keyManagers(names?: readonly string[]): Promise<GatewayKeyManagerRow[]>;
}

/** Only the `Default` environment is served by gateways. */
const ENVIRONMENT = 'Default';

export function gatewayStateRepository(q: Queryable): GatewayStateRepository {
  const db = dbOf(q);
  return {
    async deployedApis(ids) {
      if (ids?.length === 0) return [];
      let q = db
        .selectFrom('api_deployments as d')
        .innerJoin('api_revisions as r', 'r.id', 'd.revision_id')
        .innerJoin('apis as a', 'a.id', 'd.api_id')
        .select(['a.id as id', 'a.lifecycle as lifecycle', 'r.definition as definition'])
        .where('d.environment', '=', ENVIRONMENT);
      if (ids) q = q.where('a.id', 'in', ids);
      return q.execute();
    },
    async applications(ids) {
      if (ids?.length === 0) return [];
      let q = db
        .selectFrom('applications')
        .select(['id', 'uuid', 'name', 'owner', 'throttling_policy', 'attributes']);
      if (ids) q = q.where('id', 'in', ids);
      return q.execute();
    },
    async keyMappings(keys) {
      if (keys?.length === 0) return [];
      let q = db
        .selectFrom('key_mappings')
        .select(['consumer_key', 'key_manager', 'application_id', 'key_type']);
      if (keys) {
        q = q.where((eb) =>
          eb.or(
            keys.map((k) =>
              eb.and([eb('key_manager', '=', k.keyManager), eb('consumer_key', '=', k.consumerKey)]),
            ),
          ),
        );
      }
      return q.execute();
    },
    async subscriptions(uuids) {
      if (uuids?.length === 0) return [];
      let q = db.selectFrom('subscriptions').select(['uuid', 'application_id', 'api_id', 'policy', 'status']);
      if (uuids) q = q.where('uuid', 'in', uuids);
      return q.execute();
    },
    async policies(keys) {
      if (keys?.length === 0) return [];
      let q = db.selectFrom('throttling_policies').select(['level', 'name', 'definition']);
      if (keys) {
        q = q.where((eb) =>
          eb.or(keys.map((k) => eb.and([eb('level', '=', k.level), eb('name', '=', k.name)]))),
        );
      }
      return q.execute();
    },
    async revocations(now, jtis) {
      if (jtis?.length === 0) return [];
      let q = db.selectFrom('revoked_tokens').select(['jti', 'expires_at']);
      q = jtis
        ? q.where('jti', 'in', jtis)
        : q.where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]));
      return (await q.execute()).map((r) => ({
        jti: r.jti,
        expires_at: r.expires_at === null ? null : Number(r.expires_at),
      }));
    },
    async keyManagers(names) {
      if (names?.length === 0) return [];
      let q = db.selectFrom('key_managers').select(['name', 'definition']).where('enabled', '=', 1);
      if (names) q = q.where('name', 'in', names);
      return q.orderBy('name').execute();
    },
  };
}
