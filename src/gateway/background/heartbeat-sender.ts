import type { Logger } from 'pino';
import type { GatewayHeartbeat, GatewayHeartbeatReply } from '../../core/index.js';
import type { ControlPlaneClient } from './control-plane-client.js';
import type { RemoteSnapshotSource } from './remote-snapshot-source.js';

const HEARTBEAT = '/internal/data/v1/gateways/heartbeat';
/** A newly applied version is reported this soon (coalescing a burst of batches). */
const AFTER_APPLY_MS = 100;

export interface HeartbeatSenderOptions {
  client: ControlPlaneClient;
  source: RemoteSnapshotSource;
  /** The gateway's stable id (see `loadOrCreateGatewayId`). */
  id: string;
  /** How operators reach this gateway (its public URL). */
  address: string;
  softwareVersion: string;
  startedAt: number;
  intervalMs: number;
  logger: Logger;
}

/**
 * Tells the control plane every `intervalMs`, and right after each newly applied version, which gateway this is
 * and which change version it serves (`POST /internal/data/v1/gateways/heartbeat`); the reply's `head` is handed
 * to the source (its lag, and a catch-up when it is behind). Nothing is sent before the gateway has a snapshot.
 * Failures are logged once per change of state and retried on the next beat.
 * @example const hb = startHeartbeats({ client, source, id, address, softwareVersion, startedAt, intervalMs: 5000, logger });
 */
export function startHeartbeats(opts: HeartbeatSenderOptions): { stop(): void } {
  const { client, source, logger } = opts;
  let timer: NodeJS.Timeout | null = null;
  let soon: NodeJS.Timeout | null = null;
  let sending = false;
  let again = false;
  let failing = false;
  let stopped = false;

  const beat = async (): Promise<void> => {
    const s = source.status();
    if (s.origin === 'none') return;
    if (sending) {
      again = true;
      return;
    }
    sending = true;
    const body: GatewayHeartbeat = {
      id: opts.id,
      address: opts.address,
      softwareVersion: opts.softwareVersion,
      appliedVersion: s.version,
      appliedAt: Math.floor(s.appliedAt ?? opts.startedAt),
      source: s.origin === 'cache' ? 'cache' : 'live',
      startedAt: Math.floor(opts.startedAt),
    };
    try {
      const r = await client.call<GatewayHeartbeatReply>('POST', HEARTBEAT, body);
      if (r.status !== 200) throw new Error(`heartbeat: HTTP ${r.status}`);
      if (failing) logger.info('gateway heartbeats accepted again');
      failing = false;
      source.noteHead(r.body.head);
    } catch (err) {
      if (!failing)
        logger.warn(
          { err: (err as Error).message },
          'gateway heartbeat failed; the control plane may list it STALE',
        );
      failing = true;
    } finally {
      sending = false;
    }
    if (again && !stopped) {
      again = false;
      await beat();
    }
  };

  const loop = () => {
    if (stopped) return;
    void beat().finally(() => {
      if (!stopped) timer = setTimeout(loop, opts.intervalMs);
    });
  };
  loop();
  const off = source.onApplied(() => {
    if (soon || stopped) return;
    soon = setTimeout(() => {
      soon = null;
      void beat();
    }, AFTER_APPLY_MS);
  });

  return {
    stop() {
      stopped = true;
      off();
      if (timer) clearTimeout(timer);
      if (soon) clearTimeout(soon);
    },
  };
}
