import type { Logger } from 'pino';
import type { PermitGrant, PermitRequest, PermitSource } from '../handlers/throttling/permit-source.js';
import { LocalPermitStore } from './local-permit-store.js';
import { createRedisPermitStore } from './redis-permit-store.js';

export interface SharedPermitStoreOptions {
  redisUrl: string;
  namespace: string;
  /** `[apim.gateway] expected_gateways`: with Redis down this gateway enforces limit / expectedGateways. */
  expectedGateways: number;
  logger: Logger;
}

/** A permit store shared through Redis that falls back to this gateway's share of each limit without it. */
export interface SharedPermitStore extends PermitSource {
  /** True while permits come from Redis. */
  readonly shared: boolean;
  close(): Promise<void>;
}

interface Taken {
  readonly end: number;
  n: number;
}

/**
 * The gateway's quota store (runs in the primary process, answers its workers too): leases from Redis while it
 * is reachable; without it, from a {@link LocalPermitStore} enforcing `max(1, floor(limit / expectedGateways))`,
 * counting what this gateway already took from Redis in the current window. What was admitted locally is charged
 * to Redis (as debt) once it is back. Each change of state is logged once.
 *
 * @example
 * const permits = createSharedPermitStore({ redisUrl, namespace: 'portico', expectedGateways: 2, logger });
 */
export function createSharedPermitStore(opts: SharedPermitStoreOptions): SharedPermitStore {
  const { logger } = opts;
  const divisor = Math.max(1, Math.floor(opts.expectedGateways));
  const local = new LocalPermitStore({ divisor });
  /** Per window: permits this gateway took from Redis, and permits it admitted alone while Redis was down. */
  const fromRedis = new Map<string, Taken>();
  const offline = new Map<string, Taken>();
  let shared = false;
  let announced: boolean | null = null;
  const announce = (up: boolean, err?: Error) => {
    if (announced === up) return;
    announced = up;
    if (up) logger.info('throttling: Redis reachable, quotas shared by every gateway');
    else
      logger.warn(
        { err: err?.message, expectedGateways: divisor },
        `throttling: Redis unreachable, this gateway enforces 1/${divisor} of each quota`,
      );
  };
  const redis = createRedisPermitStore({
    url: opts.redisUrl,
    namespace: opts.namespace,
    onConnectionChange: (up, err) => {
      shared = up;
      announce(up, err);
    },
  });
  const add = (m: Map<string, Taken>, id: string, end: number, n: number) => {
    if (n <= 0) return;
    const t = m.get(id);
    if (t === undefined) m.set(id, { end, n });
    else t.n += n;
  };
  const prune = setInterval(() => {
    const now = Date.now();
    for (const m of [fromRedis, offline]) for (const [k, t] of m) if (t.end <= now) m.delete(k);
  }, 10_000);
  prune.unref();

  const fallback = (req: PermitRequest, id: string, end: number): PermitGrant => {
    local.seed(req.key, req.windowStart, req.windowMs, fromRedis.get(id)?.n ?? 0);
    const g = local.acquireNow(req);
    add(offline, id, end, req.debt + g.granted);
    return g;
  };

  return {
    get shared() {
      return shared;
    },
    async acquire(req) {
      const id = `${req.key}\u0000${req.windowStart}`;
      const end = req.windowStart + req.windowMs;
      if (!redis.up) return fallback(req, id, end);
      const alone = offline.get(id)?.n ?? 0;
      try {
        const g = await redis.acquire({ ...req, debt: req.debt + alone });
        announce(true);
        offline.delete(id);
        add(fromRedis, id, end, req.debt + alone + g.granted);
        return g;
      } catch (err) {
        announce(false, err as Error);
        return fallback(req, id, end);
      }
    },
    release(key, windowStart, windowMs, count) {
      const id = `${key}\u0000${windowStart}`;
      if (redis.up && offline.get(id) === undefined) {
        redis.release(key, windowStart, windowMs, count);
        const t = fromRedis.get(id);
        if (t) t.n = Math.max(0, t.n - count);
      } else {
        local.release(key, windowStart, windowMs, count);
        const t = offline.get(id);
        if (t) t.n = Math.max(0, t.n - count);
      }
    },
    async close() {
      clearInterval(prune);
      await redis.close();
    },
  };
}
