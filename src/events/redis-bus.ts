import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PorticoEvent } from '../core/index.js';
import type { EventBus } from './event-bus.js';

export interface RedisBusOptions {
  url: string;
  /** Prefix of the pub/sub channel (`<namespace>:events`); every process of one deployment uses the same one. */
  namespace?: string;
  onError?: (err: unknown) => void;
  /** Told when Redis goes away and comes back (health reporting, loud logs). */
  onConnectionChange?: (connected: boolean) => void;
}

interface Envelope {
  origin: string;
  event: PorticoEvent;
}

/** An {@link EventBus} over Redis that also says whether Redis is reachable right now. */
export interface RedisEventBus extends EventBus {
  connected(): boolean;
  /** Resolves true once Redis is connected (and subscribed), false after `timeoutMs`. Never needed to publish. */
  whenConnected(timeoutMs: number): Promise<boolean>;
}

/**
 * The scaled-out bus: events go to local listeners at once and to every other process through Redis pub/sub.
 * A process ignores its own messages coming back from Redis. Delivery is at-most-once: consumers that must not
 * miss a change (gateways) also follow the change log, so a lost message costs latency only.
 *
 * Redis is optional at run time: the bus is returned at once, connects in the background and reconnects forever;
 * while Redis is down `publish` fails immediately (no offline queue, no retries inside a caller's await), and
 * nothing waits for it.
 * @example const bus = createRedisBus({ url: 'redis://127.0.0.1:6379', namespace: 'portico' });
 */
export function createRedisBus(opts: RedisBusOptions): RedisEventBus {
  const channel = `${opts.namespace ?? 'portico'}:events`;
  const origin = randomUUID();
  const onError = opts.onError ?? (() => {});
  const options = {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: (times: number) => Math.min(200 * times, 5000),
  };
  const pub = new Redis(opts.url, options);
  const sub = new Redis(opts.url, { ...options, enableOfflineQueue: true });
  let up = false;
  const setUp = (value: boolean) => {
    if (value === up) return;
    up = value;
    opts.onConnectionChange?.(value);
  };
  pub.on('ready', () => setUp(true));
  pub.on('end', () => setUp(false));
  pub.on('close', () => setUp(false));
  // ioredis reports every failed reconnect as an error: the connection state above is what callers need, once.
  pub.on('error', () => setUp(false));
  sub.on('error', () => {});
  const listeners = new Set<(event: PorticoEvent) => void>();
  const deliver = (event: PorticoEvent) => {
    for (const l of listeners) {
      try {
        l(event);
      } catch (err) {
        onError(err);
      }
    }
  };
  sub.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      const env = JSON.parse(message) as Envelope;
      if (env.origin !== origin) deliver(env.event);
    } catch (err) {
      onError(err);
    }
  });
  // Redis missing at start is said once, like Redis going away later.
  pub.connect().catch(() => opts.onConnectionChange?.(false));
  // The subscription is replayed by ioredis on every reconnect.
  sub.connect().catch(() => {});
  let subscribed = false;
  sub.subscribe(channel).then(
    () => (subscribed = true),
    () => {},
  );
  return {
    connected: () => up,
    async whenConnected(timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!(up && subscribed)) {
        if (Date.now() > deadline) return false;
        await new Promise((r) => setTimeout(r, 20));
      }
      return true;
    },
    async publish(event) {
      deliver(event);
      if (!up) throw new Error('Redis is not connected');
      await pub.publish(channel, JSON.stringify({ origin, event } satisfies Envelope));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
      sub.disconnect();
      pub.disconnect();
    },
  };
}
