import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** The Redis tests use: `$PORTICO_TEST_REDIS_URL`, else the local default. */
export const TEST_REDIS_URL = process.env.PORTICO_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether Redis at `url` answers PING (one attempt, no retries). */
export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => undefined);
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

/**
 * Whether the test Redis is up; in CI, where Redis is a given, an unreachable one throws instead of letting the
 * tests skip.
 */
export async function testRedisUp(url = TEST_REDIS_URL): Promise<boolean> {
  const up = await redisReachable(url);
  if (!up && process.env.CI) throw new Error(`Redis is required in CI but ${url} is unreachable`);
  return up;
}

/** A namespace of its own for one test file, and a raw client to look at (and finally remove) its keys. */
export interface RedisTestNamespace {
  readonly url: string;
  /** `portico-test-<random>`: the namespace the stores under test are given. */
  readonly namespace: string;
  /** The raw client (opened by {@link RedisTestNamespace.open}). */
  readonly raw: Redis;
  open(): void;
  /** Deletes every key under the namespace and disconnects the raw client. */
  cleanUp(): Promise<void>;
}

/** A fresh {@link RedisTestNamespace} on `url`; call `open()` in `before` and `cleanUp()` in `after`. */
export function redisTestNamespace(url = TEST_REDIS_URL): RedisTestNamespace {
  const namespace = `portico-test-${randomBytes(4).toString('hex')}`;
  let raw: Redis | undefined;
  return {
    url,
    namespace,
    get raw() {
      if (!raw) throw new Error('redisTestNamespace: open() first');
      return raw;
    },
    open() {
      raw = new Redis(url);
    },
    async cleanUp() {
      if (!raw) return;
      const keys = await raw.keys(`${namespace}:*`);
      if (keys.length) await raw.del(...keys);
      raw.disconnect();
    },
  };
}
