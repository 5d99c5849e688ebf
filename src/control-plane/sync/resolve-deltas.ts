import type { ChangeKind, SnapshotDelta } from '../../core/index.js';
import {
  accessTokensRepository,
  apiKeysRepository,
  blockingConditionsRepository,
  gatewayStateRepository,
  trustedCertsRepository,
  type ChangeRow,
  type Store,
} from '../../store/index.js';
import { snapshotAccessToken } from '../snapshot/access-token-entity.js';
import { snapshotBlockingCondition } from '../snapshot/blocking-condition-entity.js';
import type { SnapshotExtras } from '../snapshot/build-snapshot.js';
import {
  revocationExp,
  snapshotApi,
  snapshotApiKey,
  snapshotApplication,
  snapshotKeyManager,
  snapshotKeyMapping,
  snapshotPolicy,
  snapshotSubscription,
} from '../snapshot/snapshot-entities.js';

export type VersionedDelta = SnapshotDelta & { readonly version: number };

/**
 * Turns change-log rows into the deltas gateways apply: each aggregate's current committed state (or null when it
 * is gone). One query per kind present, filtered by the keys named: O(change), never O(store).
 */
export async function resolveDeltas(
  store: Store,
  extras: SnapshotExtras,
  rows: readonly ChangeRow[],
  now: number,
): Promise<VersionedDelta[]> {
  const keys = (kind: ChangeKind) => [...new Set(rows.filter((r) => r.kind === kind).map((r) => r.key))];
  return store.consistentRead(async (trx) => {
    const s = gatewayStateRepository(trx);
    const apiKeys = keys('api');
    const apis = new Map((await s.deployedApis(apiKeys)).map((r) => [r.id, snapshotApi(r)]));
    const appIds = keys('application').map(Number).filter(Number.isInteger);
    const apps = new Map((await s.applications(appIds)).map((r) => [String(r.id), snapshotApplication(r)]));
    const subKeys = keys('subscription').map(splitSubscriptionKey);
    const subs = new Map(
      (await s.subscriptions(subKeys.map((k) => k.uuid))).map((r) => [r.uuid, snapshotSubscription(r)]),
    );
    const mappingKeys = keys('keymapping').map(splitMappingKey);
    const mappings = new Map(
      (await s.keyMappings(mappingKeys)).map((r) => [
        `${r.key_manager}\n${r.consumer_key}`,
        snapshotKeyMapping(r),
      ]),
    );
    const policyKeys = keys('policy').map(splitPolicyKey);
    const policies = new Map(
      (await s.policies(policyKeys)).map((r) => [`${r.level}:${r.name}`, snapshotPolicy(r)]),
    );
    const revoked = new Map((await s.revocations(now, keys('revocation'))).map((r) => [r.jti, r.expires_at]));
    const managers = new Map(
      (await s.keyManagers(keys('keymanager'))).map((r) => [r.name, snapshotKeyManager(r, extras)]),
    );
    const keyStates = new Map(
      (await apiKeysRepository(trx).gatewayKeys(now, keys('apikey'))).map((r) => [r.jti, snapshotApiKey(r)]),
    );
    const blocking = new Map(
      (await blockingConditionsRepository(trx).list(keys('blockingcondition'))).map((r) => [
        r.uuid,
        snapshotBlockingCondition(r),
      ]),
    );
    const trustedCerts = keys('truststore').length > 0 ? await trustedCertsRepository(trx).record() : {};
    const tokens = new Map(
      (await accessTokensRepository(trx).gatewayTokens(now, keys('accesstoken'))).map((r) => [
        r.token_id,
        snapshotAccessToken(r),
      ]),
    );
    return rows.flatMap((row): VersionedDelta[] => {
      const v = row.version;
      switch (row.kind) {
        case 'api':
          return [{ version: v, kind: 'api', key: row.key, api: apis.get(row.key) ?? null }];
        case 'application':
          return [{ version: v, kind: 'application', key: row.key, application: apps.get(row.key) ?? null }];
        case 'subscription': {
          const k = splitSubscriptionKey(row.key);
          const sub = subs.get(k.uuid) ?? null;
          return [
            {
              version: v,
              kind: 'subscription',
              key: k.uuid,
              subscription: sub,
              apiId: sub?.apiId ?? k.apiId,
              applicationId: sub?.applicationId ?? k.applicationId,
            },
          ];
        }
        case 'keymapping':
          return [{ version: v, kind: 'keymapping', key: row.key, mapping: mappings.get(row.key) ?? null }];
        case 'policy':
          return [{ version: v, kind: 'policy', key: row.key, policy: policies.get(row.key) ?? null }];
        case 'revocation': {
          if (!revoked.has(row.key)) return []; // pruned: the token has expired anyway
          return [
            {
              version: v,
              kind: 'revocation',
              key: row.key,
              exp: revocationExp(revoked.get(row.key) ?? null),
            },
          ];
        }
        case 'keymanager':
          return [
            { version: v, kind: 'keymanager', key: row.key, keyManager: managers.get(row.key) ?? null },
          ];
        case 'truststore':
          return [{ version: v, kind: 'truststore', key: '*', trustedCerts }];
        case 'apikey':
          return [{ version: v, kind: 'apikey', key: row.key, apiKey: keyStates.get(row.key) ?? null }];
        case 'blockingcondition':
          return [
            { version: v, kind: 'blockingcondition', key: row.key, condition: blocking.get(row.key) ?? null },
          ];
        case 'accesstoken':
          return [{ version: v, kind: 'accesstoken', key: row.key, token: tokens.get(row.key) ?? null }];
      }
    });
  });
}

/** `${uuid}\n${apiId}\n${applicationId}`: a removal is applied without the deleted row. */
function splitSubscriptionKey(key: string): { uuid: string; apiId: string; applicationId: number } {
  const [uuid = '', apiId = '', appId = '0'] = key.split('\n');
  return { uuid, apiId, applicationId: Number(appId) };
}

function splitMappingKey(key: string): { keyManager: string; consumerKey: string } {
  const nl = key.indexOf('\n');
  return { keyManager: key.slice(0, nl), consumerKey: key.slice(nl + 1) };
}

function splitPolicyKey(key: string): { level: string; name: string } {
  const colon = key.indexOf(':');
  return { level: key.slice(0, colon), name: key.slice(colon + 1) };
}
