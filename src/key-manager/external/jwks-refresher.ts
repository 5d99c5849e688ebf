import type { Logger } from 'pino';
import { changeKeys, type Clock, type JsonWebKeyPublic } from '../../core/index.js';
import type { EventBus } from '../../events/index.js';
import { createChangeLog, keyManagersRepository, type ChangeLog, type Store } from '../../store/index.js';
import { jwksUriOf, parseDefinition } from './key-manager-definition.js';
import { providerCall } from './provider-http.js';
import { publicKeysOf } from './public-keys-of.js';

/** Health of one external key manager's JWKS, as the admin REST API reports it. */
export interface KeyManagerHealth {
  name: string;
  jwksUri: string | null;
  /** `true` after a successful fetch, `false` after a failed one, null before the first attempt. */
  ok: boolean | null;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  /** Why the last attempt failed (never a secret). */
  error: string | null;
  consecutiveFailures: number;
  keyIds: string[];
}

/** Keeps the JWKS of every enabled external key manager, fetched out of band. */
export interface JwksRefresher {
  /** Loads the definitions and fetches every JWKS once (each fetch bounded by the timeout). */
  start(): Promise<void>;
  /**
   * Refetches one manager's JWKS unless a fetch is running (single-flight) or the last attempt is younger than
   * the cooldown. Never rejects; callers on the request path must not await it.
   */
  refresh(name: string): Promise<void>;
  /** Re-reads the enabled managers from the store and fetches the JWKS of new or changed ones. */
  reload(): Promise<void>;
  /** Current public keys of a manager (empty when unknown or never fetched). */
  keys(name: string): readonly JsonWebKeyPublic[];
  health(name: string): KeyManagerHealth | null;
  /** Resolves when no reload or fetch is running (tests, orderly shutdown). */
  settled(): Promise<void>;
  close(): void;
}

export interface JwksRefresherOptions {
  store: Store;
  bus: EventBus;
  /** Where a rotated JWKS is recorded for gateways (a change-log row); a plain change log of `store` by default. */
  changes?: ChangeLog;
  clock: Clock;
  logger: Logger;
  /** Periodic refetch of every JWKS (10 min). */
  intervalMs?: number;
  /** Minimum time between two on-demand refetches of one manager (30 s). */
  cooldownMs?: number;
  /** Timeout of one JWKS fetch (5 s). */
  timeoutMs?: number;
}

interface Entry {
  jwksUri: string | null;
  keys: readonly JsonWebKeyPublic[];
  fingerprint: string;
  lastAttemptAt: number | null;
  lastSuccessAt: number | null;
  error: string | null;
  failures: number;
  inflight: Promise<void> | null;
}

/** Marks the events the refresher publishes itself, so its own listener does not reload on them. */
export const JWKS_REFRESH_SOURCE = 'jwks-refresher';

/**
 * Creates the JWKS refresher (architecture.md §5: JWKS fetched out of band, never awaited by a request). It
 * follows `keymanager.changed` events to pick up new, changed and removed managers; every fetch that changes a
 * manager's keys publishes `keymanager.changed` so the snapshot service hands the keys to the gateways. A failed
 * fetch keeps the keys it had (tokens already verifiable keep working) and is reported by `health`.
 *
 * @example
 * const refresher = createJwksRefresher({ store, bus, clock, logger });
 * await refresher.start();
 * createGateway({ ..., onUnknownKid: (name) => void refresher.refresh(name) });
 */
export function createJwksRefresher(opts: JwksRefresherOptions): JwksRefresher {
  const { store, bus, clock, logger } = opts;
  const changes = opts.changes ?? createChangeLog(store, clock);
  const intervalMs = opts.intervalMs ?? 600_000;
  const cooldownMs = opts.cooldownMs ?? 30_000;
  const timeoutMs = opts.timeoutMs ?? 5_000;
  const entries = new Map<string, Entry>();
  const running = new Set<Promise<void>>();
  let reloading: Promise<void> | null = null;
  let reloadAgain = false;
  let closed = false;

  const track = (p: Promise<void>): Promise<void> => {
    running.add(p);
    void p.finally(() => running.delete(p));
    return p;
  };

  const fetchOne = (name: string, entry: Entry): Promise<void> => {
    if (entry.inflight) return entry.inflight;
    const uri = entry.jwksUri;
    if (uri === null) return Promise.resolve();
    entry.lastAttemptAt = clock.now();
    const run = (async () => {
      try {
        const body = await providerCall('JWKS fetch', { method: 'GET', url: uri, timeoutMs });
        const keys = publicKeysOf(body);
        if (entries.get(name) !== entry || closed) return;
        entry.lastSuccessAt = clock.now();
        entry.error = null;
        entry.failures = 0;
        const fingerprint = JSON.stringify(keys);
        if (fingerprint !== entry.fingerprint) {
          entry.keys = keys;
          entry.fingerprint = fingerprint;
          logger.info(
            { keyManager: name, kids: keys.map((k) => k.kid ?? '') },
            'external key manager keys changed',
          );
          await changes.write(async (_trx, record) => record(changeKeys.keyManager(name)));
          bus
            .publish({
              type: 'keymanager.changed',
              at: clock.now(),
              payload: { name, action: 'keys-refreshed', source: JWKS_REFRESH_SOURCE },
            })
            .catch((err: unknown) => logger.warn({ err }, 'external key managers: notification failed'));
        }
      } catch (err) {
        if (entries.get(name) !== entry) return;
        entry.error = err instanceof Error ? err.message : String(err);
        entry.failures++;
        logger.warn({ keyManager: name, error: entry.error }, 'external key manager JWKS fetch failed');
      } finally {
        entry.inflight = null;
      }
    })();
    entry.inflight = run;
    return track(run);
  };

  const doReload = async (): Promise<void> => {
    const rows = await keyManagersRepository(store).listEnabled();
    const seen = new Set<string>();
    const fetches: Promise<void>[] = [];
    for (const row of rows) {
      const def = parseDefinition(row.definition);
      if (def === null) {
        logger.warn({ keyManager: row.name }, 'external key manager definition unreadable; skipped');
        continue;
      }
      seen.add(row.name);
      const uri = jwksUriOf(def);
      const current = entries.get(row.name);
      if (current && current.jwksUri === uri) continue;
      const entry: Entry = {
        jwksUri: uri,
        keys: [],
        fingerprint: '[]',
        lastAttemptAt: null,
        lastSuccessAt: null,
        error: null,
        failures: 0,
        inflight: null,
      };
      entries.set(row.name, entry);
      fetches.push(fetchOne(row.name, entry));
    }
    for (const name of [...entries.keys()]) if (!seen.has(name)) entries.delete(name);
    await Promise.all(fetches);
  };

  const reload = (): Promise<void> => {
    if (reloading) {
      reloadAgain = true;
      return reloading;
    }
    const run = (async () => {
      try {
        do {
          reloadAgain = false;
          await doReload();
        } while (reloadAgain && !closed);
      } catch (err) {
        logger.error({ err }, 'external key managers: reload failed');
      } finally {
        reloading = null;
      }
    })();
    reloading = run;
    return track(run);
  };

  const unsubscribe = bus.subscribe((event) => {
    if (event.type !== 'keymanager.changed' || event.payload.source === JWKS_REFRESH_SOURCE || closed) return;
    void reload();
  });
  const timer = setInterval(() => {
    for (const [name, entry] of entries) void fetchOne(name, entry);
  }, intervalMs);
  timer.unref();

  return {
    start: reload,
    reload,
    refresh(name) {
      const entry = entries.get(name);
      if (!entry || closed) return Promise.resolve();
      if (entry.inflight) return entry.inflight;
      if (entry.lastAttemptAt !== null && clock.now() - entry.lastAttemptAt < cooldownMs)
        return Promise.resolve();
      return fetchOne(name, entry);
    },
    keys: (name) => entries.get(name)?.keys ?? [],
    health(name) {
      const e = entries.get(name);
      if (!e) return null;
      return {
        name,
        jwksUri: e.jwksUri,
        ok: e.error !== null ? false : e.lastSuccessAt !== null ? true : null,
        lastAttemptAt: e.lastAttemptAt,
        lastSuccessAt: e.lastSuccessAt,
        error: e.error,
        consecutiveFailures: e.failures,
        keyIds: e.keys.map((k) => k.kid ?? ''),
      };
    },
    async settled() {
      while (running.size > 0) await Promise.allSettled([...running]);
    },
    close() {
      closed = true;
      clearInterval(timer);
      unsubscribe();
    },
  };
}
