import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { PorticoEvent } from '../core/index.js';
import type { EventBus } from './event-bus.js';

export interface RedisBusOptions {
  url: string;
  /** Pub/sub channel; every control plane and gateway of one deployment uses the same one. */
  channel?: string;
  onError?: (err: unknown) => void;
}

interface Envelope {
  origin: string;
  event: PorticoEvent;
}

/**
 * The scaled-out bus: events go to local listeners at once and to every other process through Redis pub/sub.
 * A process ignores its own messages coming back from Redis. Delivery is at-most-once; consumers that must
 * not miss a change (gateways) also poll the latest snapshot version, so a lost message costs latency only.
 * @example const bus = await createRedisBus({ url: 'redis://127.0.0.1:6379' });
 */
export async function createRedisBus(opts: RedisBusOptions): Promise<EventBus> {
  const channel = opts.channel ?? 'portico:events';
  const origin = randomUUID();
  const onError = opts.onError ?? (() => {});
  const pub = new Redis(opts.url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  const sub = new Redis(opts.url, { lazyConnect: true });
  pub.on('error', onError);
  sub.on('error', onError);
  await pub.connect();
  await sub.connect();
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
  await sub.subscribe(channel);
  return {
    async publish(event) {
      deliver(event);
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
