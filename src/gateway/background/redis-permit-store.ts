import { Redis } from 'ioredis';
import {
  LEASE_FRACTION,
  type PermitGrant,
  type PermitRequest,
  type PermitSource,
} from '../handlers/throttling/permit-source.js';

/**
 * KEYS[1] = window counter; ARGV = limit, want, debt, holders, ttl ms, lease fraction.
 * Charges the debt, then grants min(want, leaseCap(remaining, holders)) — the rule of `leaseCap`.
 */
const ACQUIRE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
local limit = tonumber(ARGV[1])
local want = tonumber(ARGV[2])
local debt = tonumber(ARGV[3])
local holders = math.max(1, tonumber(ARGV[4]))
used = used + debt
local remaining = limit - used
local grant = 0
if remaining > 0 then
  local cap = math.max(1, math.floor(remaining * tonumber(ARGV[6]) / holders))
  grant = math.min(want, cap, remaining)
end
local add = debt + grant
if add > 0 then
  redis.call('INCRBY', KEYS[1], add)
  if redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[5]) end
end
return {grant, limit - used - grant}
`;

/** KEYS[1] = window counter; ARGV[1] = permits given back (never below zero, never recreates an expired key). */
const RELEASE = `
local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used <= 0 then return 0 end
local n = math.min(used, tonumber(ARGV[1]))
redis.call('DECRBY', KEYS[1], n)
return n
`;

type Commands = {
  portico_acquire(key: string, ...args: (string | number)[]): Promise<[number, number]>;
  portico_release(key: string, n: number): Promise<number>;
};

export interface RedisPermitStoreOptions {
  url: string;
  /** `[event_hub] namespace`: keys are `<namespace>:quota:<policy key>:<window start>`. */
  namespace: string;
  /** Called on every connection state change (true = ready). */
  onConnectionChange?: (up: boolean, err?: Error) => void;
  /** A command not answered within this many ms fails (default 1000). */
  commandTimeoutMs?: number;
}

/** Permits of fixed windows kept in Redis and handed out by an atomic Lua script, shared by every gateway. */
export interface RedisPermitStore extends PermitSource {
  /** True while the connection is ready (commands would not fail fast). */
  readonly up: boolean;
  close(): Promise<void>;
}

/**
 * Connects to Redis and returns the shared permit store. It never queues commands while disconnected: `acquire`
 * rejects at once, and the caller falls back. The counter key of a window lives until the window ends (+1 s).
 *
 * @example
 * const store = createRedisPermitStore({ url: 'redis://127.0.0.1:6379', namespace: 'portico' });
 */
export function createRedisPermitStore(opts: RedisPermitStoreOptions): RedisPermitStore {
  const redis = new Redis(opts.url, {
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    commandTimeout: opts.commandTimeoutMs ?? 1000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  }) as Redis & Commands;
  redis.defineCommand('portico_acquire', { numberOfKeys: 1, lua: ACQUIRE });
  redis.defineCommand('portico_release', { numberOfKeys: 1, lua: RELEASE });
  // null until the first connection attempt settles, so a Redis that is down from the start is reported too.
  let state: boolean | null = null;
  const set = (up: boolean, err?: Error) => {
    if (state === up) return;
    state = up;
    opts.onConnectionChange?.(up, err);
  };
  redis.on('ready', () => set(true));
  redis.on('error', (err: Error) => set(false, err));
  redis.on('close', () => set(false));
  const keyOf = (key: string, start: number) => `${opts.namespace}:quota:${key}:${start}`;

  return {
    get up() {
      return state === true;
    },
    async acquire(req: PermitRequest): Promise<PermitGrant> {
      const ttl = req.windowStart + req.windowMs - Date.now() + 1000;
      const [granted, remaining] = await redis.portico_acquire(
        keyOf(req.key, req.windowStart),
        req.limit,
        req.want,
        req.debt,
        req.holders,
        Math.max(1000, ttl),
        LEASE_FRACTION,
      );
      return { granted, remaining };
    },
    release(key, windowStart, windowMs, count) {
      if (state !== true || count <= 0 || Date.now() >= windowStart + windowMs) return;
      redis.portico_release(keyOf(key, windowStart), count).catch(() => undefined);
    },
    async close() {
      redis.disconnect();
      await Promise.resolve();
    },
  };
}
