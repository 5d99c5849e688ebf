import type { Clock, GatewayHeartbeat } from '../../../core/index.js';
import { changesRepository, gatewaysRepository, type GatewayRow, type Store } from '../../../store/index.js';
import type { Enforcement, GatewayInfo } from './gateway-wire-types.js';

export type { Enforcement, GatewayInfo } from './gateway-wire-types.js';

/** A gateway is ACTIVE while its heartbeats keep coming (they come every few seconds). */
export const STALE_AFTER_MS = 30_000;
/** Gateways silent for longer are forgotten. */
const FORGET_AFTER_MS = 24 * 3_600_000;

/** Heartbeats in, the gateway list and enforcement out. */
export interface GatewayRegistry {
  /** Records a heartbeat; returns the change log's head (the gateway's lag is head − appliedVersion). */
  heartbeat(hb: GatewayHeartbeat): Promise<{ head: number }>;
  list(): Promise<{ head: number; gateways: GatewayInfo[] }>;
  /**
   * Which active gateways serve change `version` or later. `enforcedBy` is when the gateway reported a version at
   * or past it (an upper bound of when it started enforcing it: gateways report right after applying a batch).
   */
  enforcement(version: number): Promise<Enforcement>;
}

export function createGatewayRegistry(store: Store, clock: Clock): GatewayRegistry {
  const repo = () => gatewaysRepository(store);
  const info = (r: GatewayRow, now: number): GatewayInfo => ({
    gatewayId: r.id,
    address: r.address,
    softwareVersion: r.software_version,
    appliedVersion: r.applied_version,
    appliedAt: r.applied_at,
    source: r.source === 'cache' ? 'cache' : 'live',
    startedAt: r.started_at,
    lastSeenAt: r.last_seen_at,
    status: now - r.last_seen_at <= STALE_AFTER_MS ? 'ACTIVE' : 'STALE',
  });
  let lastPrune = 0;
  return {
    async heartbeat(hb) {
      const now = clock.now();
      await repo().upsert(
        {
          id: hb.id,
          address: hb.address,
          software_version: hb.softwareVersion,
          applied_version: hb.appliedVersion,
          applied_at: hb.appliedAt,
          source: hb.source,
          started_at: hb.startedAt,
        },
        now,
      );
      if (now - lastPrune > 3_600_000) {
        lastPrune = now;
        await repo().prune(now - FORGET_AFTER_MS);
      }
      return { head: await changesRepository(store, store.dialect).head() };
    },
    async list() {
      const now = clock.now();
      const rows = await repo().list(now - FORGET_AFTER_MS);
      return {
        head: await changesRepository(store, store.dialect).head(),
        gateways: rows.map((r) => info(r, now)),
      };
    },
    async enforcement(version) {
      const { gateways } = await this.list();
      const active = gateways.filter((g) => g.status === 'ACTIVE');
      const list = active.map((g) => ({
        gatewayId: g.gatewayId,
        enforced: g.appliedVersion >= version,
        appliedVersion: g.appliedVersion,
        enforcedBy: g.appliedVersion >= version ? g.appliedAt : null,
      }));
      return {
        version,
        enforced: list.filter((g) => g.enforced).length,
        total: active.length,
        gateways: list,
      };
    },
  };
}
