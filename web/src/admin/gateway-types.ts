/** One gateway as `GET /api/am/admin/v4/gateways` lists it. */
export interface GatewayInfo {
  gatewayId: string;
  address: string;
  softwareVersion: string;
  /** The change version it serves: every change up to it is enforced there. */
  appliedVersion: number;
  appliedAt: number;
  source: 'live' | 'cache';
  startedAt: number;
  lastSeenAt: number;
  status: 'ACTIVE' | 'STALE';
}

/** "Enforced on N of M active gateways" for one change version (`?minVersion=V`). */
export interface Enforcement {
  version: number;
  enforced: number;
  total: number;
  gateways: { gatewayId: string; enforced: boolean; appliedVersion: number; enforcedBy: number | null }[];
}

export interface GatewayList {
  count: number;
  list: GatewayInfo[];
  /** The change log's newest version (a gateway's lag is head − appliedVersion). */
  head: number;
  enforcement?: Enforcement;
}
