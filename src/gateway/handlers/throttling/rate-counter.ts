/**
 * Counts requests per key in fixed windows. The in-memory implementation is the default; a Redis-synced one can
 * be plugged in later as long as `hit` stays local and synchronous (sync happens in the background).
 */
export interface RateCounter {
  /**
   * Counts one request for `key` in the window of `windowMs` that contains `now`.
   * Returns 0 when the request is within `limit`, else the milliseconds until the window resets (> 0).
   */
  hit(key: string, limit: number, windowMs: number, now: number): number;
}

interface Window {
  start: number;
  windowMs: number;
  count: number;
}

/**
 * In-memory fixed-window counters. Windows are aligned to multiples of `windowMs` since the epoch (like WSO2's
 * per-minute windows), and stale windows are swept when the map grows past `sweepAbove` keys.
 *
 * @example
 * const counter = new InMemoryRateCounter();
 * counter.hit('s:42:api-1', 5000, 60_000, Date.now()); // 0 = allowed
 */
export class InMemoryRateCounter implements RateCounter {
  readonly #windows = new Map<string, Window>();
  readonly #sweepAbove: number;

  constructor(options: { sweepAbove?: number } = {}) {
    this.#sweepAbove = options.sweepAbove ?? 100_000;
  }

  hit(key: string, limit: number, windowMs: number, now: number): number {
    const start = now - (now % windowMs);
    let w = this.#windows.get(key);
    if (w === undefined) {
      if (this.#windows.size >= this.#sweepAbove) this.#sweep(now);
      w = { start, windowMs, count: 0 };
      this.#windows.set(key, w);
    } else if (w.start !== start || w.windowMs !== windowMs) {
      w.start = start;
      w.windowMs = windowMs;
      w.count = 0;
    }
    w.count++;
    return w.count <= limit ? 0 : start + windowMs - now;
  }

  /** Number of live keys (for metrics and tests). */
  get size(): number {
    return this.#windows.size;
  }

  #sweep(now: number): void {
    for (const [key, w] of this.#windows) if (w.start + w.windowMs <= now) this.#windows.delete(key);
  }
}
