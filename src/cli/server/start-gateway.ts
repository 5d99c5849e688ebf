import { join } from 'node:path';
import type { Logger } from 'pino';
import { gatewayControlPlaneUrls, type Config } from '../../config/index.js';
import { systemClock } from '../../core/index.js';
import { createRedisBus, type EventBus } from '../../events/index.js';
import {
  createControlPlaneClient,
  createGateway,
  createRedisSyncedCounter,
  createRemoteSnapshotSource,
  loadOrCreateGatewayId,
  startHeartbeats,
} from '../../gateway/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadServerKeys } from '../keys.js';
import type { Listener } from './listeners.js';
import { redisConnectionLogger } from './redis-connection-logger.js';
import { gatewayListeners, gatewaySettingsFrom } from './start-all-in-one.js';

export interface RunningGateway {
  listeners: Listener[];
  stop(): Promise<void>;
}

/**
 * Starts a gateway in its own process (scaled out): snapshot and changes from `[apim.gateway] control_plane_urls`
 * (with failover), change events from Redis when `[event_hub] type = "redis"`, the last-good snapshot persisted
 * under `<home>/gateway/` (served when no control plane answers at start), heartbeats with the gateway id kept
 * there, TLS and backend-JWT key from this home's keystore. Control-plane certificates are verified against the
 * trust store.
 */
export async function startGatewayOnly(
  home: HomePaths,
  config: Readonly<Config>,
  logger: Logger,
): Promise<RunningGateway> {
  const startedAt = systemClock.now();
  const keys = await loadServerKeys(home, config, logger);
  const g = config.apim.gateway;
  let bus: EventBus | undefined;
  if (config.event_hub.type === 'redis') {
    bus = createRedisBus({
      url: config.event_hub.redis_url,
      namespace: config.event_hub.namespace,
      onError: (err) => logger.warn({ err }, 'event bus error'),
      onConnectionChange: redisConnectionLogger(logger),
    });
  }
  const syncLogger = logger.child({ component: 'gateway-sync' });
  const client = createControlPlaneClient({
    urls: gatewayControlPlaneUrls(config),
    username: g.sync_username,
    password: g.sync_password,
    ca: keys.trustStore.list().map((e) => e.certificatePem),
    logger: syncLogger,
  });
  const source = createRemoteSnapshotSource({
    client,
    pollIntervalMs: g.sync_poll_interval * 1000,
    ...(bus ? { bus } : {}),
    cacheFile: join(home.gateway, 'snapshot.json'),
    clock: systemClock,
    logger: syncLogger,
  });
  const counter =
    config.event_hub.type === 'redis'
      ? createRedisSyncedCounter({
          url: config.event_hub.redis_url,
          logger: logger.child({ component: 'throttling' }),
        })
      : null;
  const gateway = createGateway({
    snapshotSource: source,
    clock: systemClock,
    logger: logger.child({ component: 'gateway' }),
    settings: gatewaySettingsFrom(config, keys),
    version: packageVersion(),
    ...(counter ? { counter } : {}),
  });
  const tls = {
    key: keys.primary.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cert: keys.primary.certificatePem,
  };
  const listeners = await gatewayListeners(gateway, config, tls);
  await gateway.ready();
  const heartbeats = startHeartbeats({
    client,
    source,
    id: loadOrCreateGatewayId(join(home.gateway, 'gateway-id'), syncLogger),
    address: listeners[0]?.url ?? config.server.hostname,
    softwareVersion: packageVersion(),
    startedAt,
    intervalMs: g.heartbeat_interval * 1000,
    logger: syncLogger,
  });
  return {
    listeners,
    async stop() {
      heartbeats.stop();
      await Promise.all(listeners.map((l) => l.close(config.server.shutdown_timeout * 1000)));
      await source.close();
      await gateway.close();
      await counter?.close();
      await bus?.close();
    },
  };
}
