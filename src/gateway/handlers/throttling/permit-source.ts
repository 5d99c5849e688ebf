/**
 * Where a {@link LeaseCounter} takes its permits from: Redis (shared by every gateway), the primary process of a
 * gateway (over IPC, for its workers) or an in-memory store. Calls happen in the background, never awaited by a
 * request.
 */
export interface PermitSource {
  /**
   * Charges `debt` (requests already admitted on credit) to the window, then grants up to `want` permits, never
   * more than {@link leaseCap} of what remains. Rejects when the source is unreachable.
   */
  acquire(req: PermitRequest): Promise<PermitGrant>;
  /** Gives back `count` unused permits of a window (fire and forget; lost permits only under-admit). */
  release(key: string, windowStart: number, windowMs: number, count: number): void;
}

/** One lease request for a fixed window (`windowStart` = a multiple of `windowMs` since the epoch). */
export interface PermitRequest {
  readonly key: string;
  readonly limit: number;
  readonly windowMs: number;
  readonly windowStart: number;
  readonly want: number;
  readonly debt: number;
  /** Lease holders expected to share the limit (gateways × worker processes); shrinks each lease. */
  readonly holders: number;
}

export interface PermitGrant {
  readonly granted: number;
  /** Permits left in the window after this grant (≤ 0: used up). */
  readonly remaining: number;
}

/** Fraction of the remaining permits (split between holders) one lease may take. */
export const LEASE_FRACTION = 0.03;

/**
 * The largest lease a holder may take when `remaining` permits are left: 3 % of them divided by the holders,
 * at least 1 (so a lease exists whenever a permit does). Held-but-unused permits across all holders are thus at
 * most ~4.5 % of the limit (a holder refills at half its lease) plus one per holder. The Redis Lua script uses
 * the same rule.
 */
export function leaseCap(remaining: number, holders: number): number {
  if (remaining <= 0) return 0;
  return Math.min(remaining, Math.max(1, Math.floor((remaining * LEASE_FRACTION) / Math.max(1, holders))));
}
