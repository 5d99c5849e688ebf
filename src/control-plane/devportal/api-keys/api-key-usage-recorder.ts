import type { Logger } from 'pino';
import type { Clock } from '../../../core/index.js';
import { apiKeysRepository, type Store } from '../../../store/index.js';

/** Buffers "API key used" signals from the gateway and writes `api_keys.last_used_at` in the background. */
export interface ApiKeyUsageRecorder {
  /** Synchronous and O(1), safe on the request path; when the buffer is full a new jti is dropped and counted. */
  record(jti: string, at: number): void;
  /** Writes what is buffered now (concurrent calls are serialized). Failures are logged, never thrown. */
  flush(): Promise<void>;
  /** Stops the timer and flushes once more. */
  close(): Promise<void>;
}

export interface ApiKeyUsageRecorderOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  flushIntervalMs?: number;
  /** Distinct jtis held between flushes. */
  maxBuffered?: number;
}

const BATCH = 500;

/**
 * Creates the recorder the CLI hands to the gateway as `onApiKeyUsed`. A key used many times between two flushes
 * costs one UPDATE; `last_used_at` only moves forward.
 * @example const usage = createApiKeyUsageRecorder({ store, clock, logger }); createGateway({ ..., onApiKeyUsed: usage.record });
 */
export function createApiKeyUsageRecorder(opts: ApiKeyUsageRecorderOptions): ApiKeyUsageRecorder {
  const { store, clock, logger } = opts;
  const maxBuffered = opts.maxBuffered ?? 10_000;
  let buffer = new Map<string, number>();
  let dropped = 0;
  let chain: Promise<void> = Promise.resolve();
  let closed = false;

  const record = (jti: string, at: number): void => {
    const prev = buffer.get(jti);
    if (prev !== undefined) {
      if (at > prev) buffer.set(jti, at);
      return;
    }
    if (closed || buffer.size >= maxBuffered) {
      dropped++;
      return;
    }
    buffer.set(jti, at);
  };

  const write = async (): Promise<void> => {
    if (dropped > 0) {
      logger.warn({ dropped }, 'api key usage buffer full: some last-used times were not recorded');
      dropped = 0;
    }
    if (buffer.size === 0) return;
    const batch = [...buffer];
    buffer = new Map();
    const started = clock.now();
    try {
      for (let i = 0; i < batch.length; i += BATCH) {
        const slice = batch.slice(i, i + BATCH);
        await store.transaction(async (trx) => {
          const keys = apiKeysRepository(trx);
          for (const [jti, at] of slice) await keys.touchLastUsed(jti, at);
        });
      }
      logger.debug({ keys: batch.length, ms: clock.now() - started }, 'api key usage flushed');
    } catch (err) {
      logger.error({ err, keys: batch.length }, 'api key usage flush failed; times kept for the next flush');
      for (const [jti, at] of batch) record(jti, at);
    }
  };

  const flush = (): Promise<void> => {
    chain = chain.then(write, write);
    return chain;
  };

  const timer = setInterval(() => void flush(), opts.flushIntervalMs ?? 5000);
  timer.unref();

  return {
    record,
    flush,
    async close() {
      clearInterval(timer);
      await flush();
      closed = true;
    },
  };
}
