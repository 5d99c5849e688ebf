import type { Enforcement, GatewayInfo } from '../../../src/control-plane/admin/gateways/gateway-wire-types';

/**
 * One gateway as `GET /api/am/admin/v4/gateways` lists it, and "enforced on N of M active gateways" for one change
 * version (`?minVersion=V`), as the server declares them (types only).
 */
export type { Enforcement, GatewayInfo };

export interface GatewayList {
  count: number;
  list: GatewayInfo[];
  /** The change log's newest version (a gateway's lag is head − appliedVersion). */
  head: number;
  enforcement?: Enforcement;
}
