import {
  leaseCap,
  type PermitGrant,
  type PermitRequest,
  type PermitSource,
} from '../handlers/throttling/permit-source.js';

interface Window {
  readonly end: number;
  used: number;
}

/**
 * Exact in-memory permit store for the holders of one machine: the primary process of a gateway hands leases to
 * its workers from it when there is no Redis, and it is the per-gateway fallback when Redis is down. With
 * `divisor` > 1 each limit is cut to `max(1, floor(limit / divisor))` — this gateway's share.
 *
 * @example
 * const store = new LocalPermitStore();
 * await store.acquire({ key: 'S|1|api', limit: 60, windowMs: 60_000, windowStart: 0, want: 5, debt: 0, holders: 2 });
 */
export class LocalPermitStore implements PermitSource {
  readonly #windows = new Map<string, Window>();
  #divisor: number;
  readonly #sweepAbove: number;

  constructor(opts: { divisor?: number; sweepAbove?: number } = {}) {
    this.#divisor = Math.max(1, Math.floor(opts.divisor ?? 1));
    this.#sweepAbove = opts.sweepAbove ?? 100_000;
  }

  /** The limit this store enforces for a policy limit (the share when a divisor is set). */
  limitFor(limit: number): number {
    return this.#divisor === 1 ? limit : Math.max(1, Math.floor(limit / this.#divisor));
  }

  /** Changes the divisor (gateways known to share the limit); later grants use the new share. */
  setDivisor(divisor: number): void {
    this.#divisor = Math.max(1, Math.floor(divisor));
  }

  acquire(req: PermitRequest): Promise<PermitGrant> {
    return Promise.resolve(this.acquireNow(req));
  }

  /** {@link acquire} without the promise (the primary answers workers from it). */
  acquireNow(req: PermitRequest): PermitGrant {
    const w = this.#window(req.key, req.windowStart, req.windowMs);
    const limit = this.limitFor(req.limit);
    w.used += Math.max(0, req.debt);
    const granted = Math.min(Math.max(0, req.want), leaseCap(limit - w.used, req.holders));
    w.used += granted;
    return { granted, remaining: limit - w.used };
  }

  release(key: string, windowStart: number, _windowMs: number, count: number): void {
    const w = this.#windows.get(`${key}\u0000${windowStart}`);
    if (w !== undefined) w.used = Math.max(0, w.used - count);
  }

  /**
   * Counts `used` permits as already taken in a window this store has not seen yet (what the gateway took from
   * Redis in it before Redis went away). No-op for a window already tracked.
   */
  seed(key: string, windowStart: number, windowMs: number, used: number): void {
    const id = `${key}\u0000${windowStart}`;
    if (!this.#windows.has(id)) this.#window(key, windowStart, windowMs).used = used;
  }

  #window(key: string, start: number, windowMs: number): Window {
    const id = `${key}\u0000${start}`;
    let w = this.#windows.get(id);
    if (w === undefined) {
      if (this.#windows.size >= this.#sweepAbove) {
        const now = Date.now();
        for (const [k, x] of this.#windows) if (x.end <= now) this.#windows.delete(k);
      }
      w = { end: start + windowMs, used: 0 };
      this.#windows.set(id, w);
    }
    return w;
  }
}
