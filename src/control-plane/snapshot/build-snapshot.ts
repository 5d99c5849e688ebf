import type { Snapshot, SnapshotKeyManager } from '../../core/index.js';
import { SNAPSHOT_SCHEMA } from '../../core/index.js';
import {
  accessTokensRepository,
  apiKeysRepository,
  blockingConditionsRepository,
  changesRepository,
  gatewayStateRepository,
  trustedCertsRepository,
  type Store,
} from '../../store/index.js';
import { snapshotAccessToken } from './access-token-entity.js';
import { snapshotBlockingCondition } from './blocking-condition-entity.js';
import {
  revocationExp,
  snapshotApi,
  snapshotApiKey,
  snapshotApplication,
  snapshotKeyManager,
  snapshotKeyMapping,
  snapshotPolicy,
  snapshotSubscription,
} from './snapshot-entities.js';
import type { SnapshotExtras } from './snapshot-extras.js';

export type { SnapshotExtras } from './snapshot-extras.js';

/**
 * Reads the whole gateway state from one consistent view of the store into an immutable snapshot whose `version`
 * is the newest change it includes: a gateway holding it applies the change log from there.
 */
export async function buildSnapshot(store: Store, now: number, extras: SnapshotExtras): Promise<Snapshot> {
  return store.consistentRead(async (trx) => {
    const version = await changesRepository(trx, store.dialect).head();
    const state = gatewayStateRepository(trx);
    // One connection per transaction: sequential reads, all on the same view.
    const deployed = await state.deployedApis();
    const apps = await state.applications();
    const mappings = await state.keyMappings();
    const subs = await state.subscriptions();
    const policies = await state.policies();
    const revoked = await state.revocations(now);
    const managers = await state.keyManagers();
    const apiKeys = await apiKeysRepository(trx).gatewayKeys(now);
    const blocking = await blockingConditionsRepository(trx).listEnabled();
    const trustedCerts = await trustedCertsRepository(trx).record();
    const accessTokens = await accessTokensRepository(trx).gatewayTokens(now);
    return {
      schema: SNAPSHOT_SCHEMA,
      version,
      createdAt: now,
      apis: deployed.map(snapshotApi),
      applications: apps.map(snapshotApplication),
      keyMappings: mappings.map(snapshotKeyMapping),
      subscriptions: subs.map(snapshotSubscription),
      policies: policies.map(snapshotPolicy),
      keyManagers: keyManagersOf(
        extras,
        managers.map((m) => snapshotKeyManager(m, extras)),
      ),
      trustedCerts,
      revokedTokens: revoked.map((r) => ({ jti: r.jti, exp: revocationExp(r.expires_at) })),
      apiKeys: apiKeys.map(snapshotApiKey),
      accessTokens: accessTokens.map(snapshotAccessToken),
      blockingConditions: blocking.map(snapshotBlockingCondition).filter((c) => c !== null),
    };
  });
}

/** The resident key manager, the enabled rows of `key_managers` with their JWKS, then the legacy hook's extras. */
function keyManagersOf(extras: SnapshotExtras, rows: (SnapshotKeyManager | null)[]): SnapshotKeyManager[] {
  const out: SnapshotKeyManager[] = [extras.residentKeyManager];
  for (const km of rows) if (km !== null) out.push(km);
  const names = new Set(out.map((k) => k.name));
  for (const km of extras.externalKeyManagers?.() ?? []) if (!names.has(km.name)) out.push(km);
  return out;
}
