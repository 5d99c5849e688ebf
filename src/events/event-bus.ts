import type { PorticoEvent } from '../core/index.js';

/** Publishes domain events after a commit and delivers them to subscribers (gateways, other control planes). */
export interface EventBus {
  publish(event: PorticoEvent): Promise<void>;
  /** Registers a listener; returns an unsubscribe function. */
  subscribe(listener: (event: PorticoEvent) => void): () => void;
  close(): Promise<void>;
}

/**
 * The all-in-one bus: delivery in the same process, synchronously after publish, with a version counter.
 * @example const bus = createInProcessBus(); bus.subscribe((e) => ...); await bus.publish({ type: 'api.deployed', at: Date.now(), payload: {} });
 */
export function createInProcessBus(onListenerError: (err: unknown) => void = () => {}): EventBus {
  const listeners = new Set<(event: PorticoEvent) => void>();
  let version = 0;
  return {
    async publish(event) {
      const stamped = { ...event, version: ++version };
      for (const l of listeners) {
        try {
          l(stamped);
        } catch (err) {
          // A failing listener must not stop delivery to the others.
          onListenerError(err);
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      listeners.clear();
    },
  };
}
