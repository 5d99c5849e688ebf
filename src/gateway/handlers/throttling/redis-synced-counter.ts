import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RateCounter } from './rate-counter.js';

interface SyncedWindow {
  start: number;
  windowMs: number;
  /** Hits counted by this process in the window. */
  local: number;
  /** Local hits not yet added to the shared counter. */
  pending: number;
  /** Hits of every other process, as of the last sync. */
  others: number;
  touchedAt: number;
}

export interface RedisSyncedCounterOptions {
  url: string;
  logger: Logger;
  /** How often local deltas are pushed and shared totals read back (default 100 ms). */
  syncIntervalMs?: number;
  /** Key prefix shared by every gateway of one deployment. */
  prefix?: string;
  sweepAbove?: number;
}

/**
 * A fixed-window counter shared by every gateway through Redis, without putting Redis on the request path:
 * `hit` decides synchronously from the local count plus the other gateways' count as of the last sync; a timer
 * pushes local deltas with `INCRBY` (one pipeline per sync) and reads back the shared totals. Between two syncs
 * the gateways together may let through up to (gateways × hits per interval) more than the quota — the eventual
 * model Unkey documents. When Redis is unreachable each gateway counts alone (logged once) until it is back.
 * @example const counter = createRedisSyncedCounter({ url: 'redis://127.0.0.1:6379', logger }); createGateway({ ..., counter });
 */
export function createRedisSyncedCounter(
  opts: RedisSyncedCounterOptions,
): RateCounter & { close(): Promise<void>; sync(): Promise<void> } {
  const prefix = opts.prefix ?? 'portico:rl:';
  const sweepAbove = opts.sweepAbove ?? 100_000;
  const windows = new Map<string, SyncedWindow>();
  const redis = new Redis(opts.url, {
    lazyConnect: false,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
  });
  let degraded = false;
  redis.on('error', (err: Error) => {
    if (!degraded) opts.logger.warn({ err: err.message }, 'throttling: Redis unreachable, counting locally');
    degraded = true;
  });
  redis.on('ready', () => {
    if (degraded) opts.logger.info('throttling: Redis back, sharing counters again');
    degraded = false;
  });

  let syncing: Promise<void> | null = null;
  const run = async (): Promise<void> => {
    try {
      if (redis.status !== 'ready') return;
      const now = Date.now();
      const batch: [SyncedWindow, number, number][] = [];
      const pipeline = redis.pipeline();
      for (const [key, w] of windows) {
        if (w.start + w.windowMs <= now) continue;
        // Keys touched recently are refreshed even without local hits, to learn the others' count.
        if (w.pending === 0 && now - w.touchedAt > 5000) continue;
        const rk = `${prefix}${key}:${w.start}`;
        pipeline.incrby(rk, w.pending).pexpire(rk, w.windowMs + 1000);
        batch.push([w, w.pending, w.start]);
      }
      if (batch.length === 0) return;
      const results = await pipeline.exec();
      batch.forEach(([w, sent, start], i) => {
        const [err, total] = results?.[i * 2] ?? [null, null];
        // A window that rolled over while the pipeline ran starts afresh; its old counts are gone.
        if (err || typeof total !== 'number' || w.start !== start) return;
        w.pending -= sent;
        w.others = Math.max(0, total - (w.local - w.pending));
      });
    } catch (err) {
      opts.logger.debug({ err }, 'throttling: sync failed');
    }
  };
  const syncOnce = (): Promise<void> => {
    // The reset is chained, not in a `finally` of `run`: a run that returns without awaiting would otherwise
    // clear `syncing` before it is assigned and leave a settled promise there for good.
    syncing ??= run().finally(() => {
      syncing = null;
    });
    return syncing;
  };
  /** A full sync that includes every hit made before the call (waits for one already running). */
  const sync = async (): Promise<void> => {
    if (syncing) await syncing;
    await syncOnce();
  };
  const timer = setInterval(() => void syncOnce(), opts.syncIntervalMs ?? 100);
  timer.unref();

  return {
    hit(key, limit, windowMs, now) {
      const start = now - (now % windowMs);
      let w = windows.get(key);
      if (w === undefined) {
        if (windows.size >= sweepAbove) {
          for (const [k, x] of windows) if (x.start + x.windowMs <= now) windows.delete(k);
        }
        w = { start, windowMs, local: 0, pending: 0, others: 0, touchedAt: now };
        windows.set(key, w);
      } else if (w.start !== start || w.windowMs !== windowMs) {
        w.start = start;
        w.windowMs = windowMs;
        w.local = 0;
        w.pending = 0;
        w.others = 0;
      }
      w.local++;
      w.pending++;
      w.touchedAt = now;
      return w.local + w.others <= limit ? 0 : start + windowMs - now;
    },
    sync,
    async close() {
      clearInterval(timer);
      await sync();
      redis.disconnect();
    },
  };
}
