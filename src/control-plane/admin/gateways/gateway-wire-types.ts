/**
 * The gateway bodies of the Admin REST API, declared once for the server (gateway-registry.ts builds them) and the
 * admin UI (web/src/admin/gateway-types.ts). Types only and no imports: the UI imports this file with
 * `import type`, so nothing of the server reaches the browser bundle.
 */

/** One gateway as the Admin REST API lists it. */
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

/** "Enforced on N of M gateways" for one change version. */
export interface Enforcement {
  version: number;
  /** Active gateways that applied `version` or later. */
  enforced: number;
  /** Active gateways. */
  total: number;
  gateways: { gatewayId: string; enforced: boolean; appliedVersion: number; enforcedBy: number | null }[];
}
