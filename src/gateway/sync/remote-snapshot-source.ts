import type { Logger } from 'pino';
import { Agent, request } from 'undici';
import type { Snapshot, SnapshotSource } from '../../core/index.js';
import type { EventBus } from '../../events/index.js';

export interface RemoteSnapshotOptions {
  /** Control-plane base URL, e.g. https://cp.internal:9443 */
  controlPlaneUrl: string;
  username: string;
  password: string;
  /** PEM certificates trusted for the control plane's TLS (the trust store). */
  ca: string[];
  /** Fallback polling interval; events make changes arrive sooner. */
  pollIntervalMs: number;
  bus?: EventBus;
  logger: Logger;
}

/**
 * A SnapshotSource for a gateway in its own process: fetches `/internal/data/v1/snapshot` from the control
 * plane, refetches when an event announces a newer version (Redis) and polls the version as a fallback.
 * When the control plane is unreachable it keeps serving the last snapshot and retries.
 */
export function createRemoteSnapshotSource(opts: RemoteSnapshotOptions): SnapshotSource & { close(): void } {
  const agent = new Agent({
    connect: { ca: opts.ca.length ? opts.ca : undefined },
    keepAliveTimeout: 30_000,
  });
  const auth = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`;
  const base = opts.controlPlaneUrl.replace(/\/+$/, '');
  const listeners = new Set<(s: Snapshot) => void>();
  let current: Snapshot | null = null;
  let inflight: Promise<void> | null = null;
  let closed = false;
  let firstResolve: (s: Snapshot) => void = () => {};
  const first = new Promise<Snapshot>((r) => (firstResolve = r));

  const get = async <T>(path: string): Promise<T> => {
    const res = await request(`${base}${path}`, {
      headers: { authorization: auth, accept: 'application/json' },
      dispatcher: agent,
    });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
    return JSON.parse(text) as T;
  };

  const fetchSnapshot = (): Promise<void> => {
    inflight ??= (async () => {
      try {
        const snap = await get<Snapshot>('/internal/data/v1/snapshot');
        if (!current || snap.version > current.version) {
          current = snap;
          firstResolve(snap);
          for (const l of listeners) l(snap);
        }
      } catch (err) {
        opts.logger.warn({ err: (err as Error).message }, 'snapshot fetch failed; serving the last one');
      } finally {
        inflight = null;
      }
    })();
    return inflight;
  };

  const poll = async () => {
    if (closed) return;
    try {
      if (!current) await fetchSnapshot();
      else {
        const { version } = await get<{ version: number }>('/internal/data/v1/snapshot/version');
        if (version > current.version) await fetchSnapshot();
      }
    } catch (err) {
      opts.logger.warn({ err: (err as Error).message }, 'snapshot version poll failed');
    }
    if (!closed)
      timer = setTimeout(poll, current ? opts.pollIntervalMs : Math.min(1000, opts.pollIntervalMs));
  };
  let timer: NodeJS.Timeout = setTimeout(poll, 0);
  const unsubscribe = opts.bus?.subscribe((event) => {
    if (event.type !== 'snapshot.ready' && event.type !== 'changes') return;
    const v = Number(event.type === 'changes' ? event.payload.to : event.payload.version);
    if (!current || v > current.version) void fetchSnapshot();
  });

  return {
    current: () => (current ? Promise.resolve(current) : first),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close() {
      closed = true;
      clearTimeout(timer);
      unsubscribe?.();
      listeners.clear();
      void agent.close();
    },
  };
}
