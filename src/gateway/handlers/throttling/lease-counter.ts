import type { Logger } from 'pino';
import type { RateCounter } from './rate-counter.js';
import type { PermitGrant, PermitSource } from './permit-source.js';

/** Share of the limit all holders together may admit on credit (without a permit in hand) in one window. */
export const CREDIT_FRACTION = 0.05;
/** A lease drained faster than this doubles the next request; one lasting 10× longer halves it. */
const FAST_LEASE_MS = 100;
/** With the window used up, a request re-asks the source at most this often (to find returned permits). */
const RECHECK_MS = 200;

interface Lease {
  start: number;
  windowMs: number;
  limit: number;
  /** Permits in hand. */
  permits: number;
  /** Requests admitted on credit and not yet sent to the source. */
  debt: number;
  /** Credit sent with the refill in flight (charged once it is answered). */
  charging: number;
  /** A refill is in flight. */
  pending: boolean;
  /** The source answered at least once in this window. */
  heard: boolean;
  /** The last answer said the window is used up. */
  exhausted: boolean;
  want: number;
  lastGrant: number;
  grantAt: number;
  askedAt: number;
  lastHit: number;
}

export interface LeaseCounterOptions {
  source: PermitSource;
  /** Holders sharing each limit: expected gateways × worker processes per gateway (≥ 1). */
  holders: number;
  logger: Logger;
  /** Unused permits of a key idle this long are given back (default 500 ms). */
  idleReturnMs?: number;
  now?: () => number;
}

/**
 * A {@link RateCounter} whose decisions are exact across processes yet need no I/O: each key's fixed window is
 * served from a local lease of permits taken in the background from a {@link PermitSource}; a refill is asked
 * when half the lease is used. Without a permit in hand a request is admitted on credit while this holder's
 * uncharged credit is below `floor(5 % × limit / holders)` — or, before the source first answered in this
 * window, one request — and denied otherwise; credit is charged with the next refill
 * (docs/adr/0004-shared-quotas.md has the accuracy argument).
 *
 * @example
 * const counter = new LeaseCounter({ source: redisPermits, holders: 2, logger });
 * createGateway({ ..., counter });
 */
export class LeaseCounter implements RateCounter {
  readonly #leases = new Map<string, Lease>();
  readonly #source: PermitSource;
  readonly #holders: number;
  readonly #logger: Logger;
  readonly #idleReturnMs: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;

  constructor(opts: LeaseCounterOptions) {
    this.#source = opts.source;
    this.#holders = Math.max(1, Math.floor(opts.holders));
    this.#logger = opts.logger;
    this.#idleReturnMs = opts.idleReturnMs ?? 500;
    this.#now = opts.now ?? Date.now;
    this.#timer = setInterval(() => this.sweep(this.#now()), Math.max(50, this.#idleReturnMs / 2));
    this.#timer.unref();
  }

  hit(key: string, limit: number, windowMs: number, now: number): number {
    const start = now - (now % windowMs);
    let l = this.#leases.get(key);
    if (l === undefined) {
      l = {
        ...newWindow(start, windowMs, limit),
        pending: false,
        want: 1,
        lastGrant: 0,
        grantAt: 0,
        askedAt: 0,
        lastHit: now,
      };
      this.#leases.set(key, l);
    } else if (l.start !== start || l.windowMs !== windowMs || l.limit !== limit) {
      // Permits of the old window expire with it; the Redis key is gone by itself.
      if (l.start === start && l.permits > 0) this.#source.release(key, l.start, l.windowMs, l.permits);
      Object.assign(l, newWindow(start, windowMs, limit));
    }
    l.lastHit = now;
    if (l.permits > 0) {
      l.permits--;
      if (!l.pending && l.permits <= l.lastGrant >> 1) this.#refill(key, l, now);
      return 0;
    }
    if (l.exhausted) {
      if (!l.pending && now - l.askedAt >= RECHECK_MS) this.#refill(key, l, now);
      return start + windowMs - now;
    }
    const credit = Math.floor((CREDIT_FRACTION * limit) / this.#holders);
    const allowed = l.heard ? credit : Math.max(1, credit);
    const admit = l.debt + l.charging < allowed;
    if (admit) l.debt++;
    if (!l.pending) this.#refill(key, l, now);
    return admit ? 0 : start + windowMs - now;
  }

  /** Gives back permits of keys idle for `idleReturnMs` and forgets ended windows. Runs on a timer. */
  sweep(now: number): void {
    for (const [key, l] of this.#leases) {
      if (l.start + l.windowMs <= now) {
        if (!l.pending) this.#leases.delete(key);
      } else if (l.permits > 0 && now - l.lastHit >= this.#idleReturnMs) {
        this.#source.release(key, l.start, l.windowMs, l.permits);
        l.permits = 0;
      }
    }
  }

  /** Number of keys with a lease (for tests and metrics). */
  get size(): number {
    return this.#leases.size;
  }

  /** Stops the timer and gives back every unused permit. */
  close(): void {
    clearInterval(this.#timer);
    for (const [key, l] of this.#leases)
      if (l.permits > 0) this.#source.release(key, l.start, l.windowMs, l.permits);
    this.#leases.clear();
  }

  #refill(key: string, l: Lease, now: number): void {
    if (l.grantAt > 0 && now - l.grantAt < FAST_LEASE_MS) l.want = Math.min(l.want * 2, l.limit);
    else if (now - l.grantAt > FAST_LEASE_MS * 10) l.want = Math.max(1, l.want >> 1);
    const { start, windowMs } = l;
    const debt = l.debt;
    l.debt = 0;
    l.charging = debt;
    l.pending = true;
    l.askedAt = now;
    const req = {
      key,
      limit: l.limit,
      windowMs,
      windowStart: start,
      want: l.want,
      debt,
      holders: this.#holders,
    };
    this.#source.acquire(req).then(
      (g) => this.#granted(key, l, start, windowMs, g),
      (err: unknown) => {
        l.pending = false;
        l.charging = 0;
        // Not charged: charge it with the next refill of the same window.
        if (l.start === start && l.windowMs === windowMs) l.debt += debt;
        this.#logger.debug({ err }, 'throttling: permit refill failed');
      },
    );
  }

  #granted(key: string, l: Lease, start: number, windowMs: number, g: PermitGrant): void {
    l.pending = false;
    l.charging = 0;
    if (l.start !== start || l.windowMs !== windowMs) {
      // The window rolled while the refill was in flight; its permits are of no use any more.
      if (g.granted > 0 && this.#now() < start + windowMs)
        this.#source.release(key, start, windowMs, g.granted);
      return;
    }
    l.heard = true;
    l.permits += g.granted;
    l.lastGrant = g.granted;
    l.grantAt = this.#now();
    l.exhausted = g.granted === 0 && g.remaining <= 0;
  }
}

/** The per-window part of a lease, as a new window (or a changed limit) starts it. */
function newWindow(start: number, windowMs: number, limit: number) {
  return { start, windowMs, limit, permits: 0, debt: 0, charging: 0, heard: false, exhausted: false };
}
