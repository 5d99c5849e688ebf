import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { systemClock } from '../../core/index.js';
import { createRedisBus, type EventBus } from '../../events/index.js';
import { createGateway, createRedisSyncedCounter, createRemoteSnapshotSource } from '../../gateway/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadServerKeys } from '../keys.js';
import type { Listener } from './listeners.js';
import { redisConnectionLogger } from './redis-connection-logger.js';
import { gatewayListeners, gatewaySettingsFrom } from './gateway-settings.js';

export interface RunningGateway {
  listeners: Listener[];
  stop(): Promise<void>;
}

/**
 * Starts a gateway in its own process (scaled out): snapshot from `[apim.gateway] control_plane_url`, change
 * notifications from Redis when `[event_hub] type = "redis"`, TLS and backend-JWT key from this home's keystore.
 * The control plane's certificate is verified against the trust store.
 */
export async function startGatewayOnly(
  home: HomePaths,
  config: Readonly<Config>,
  logger: Logger,
): Promise<RunningGateway> {
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
  const source = createRemoteSnapshotSource({
    controlPlaneUrl: g.control_plane_url,
    username: g.sync_username,
    password: g.sync_password,
    ca: keys.trustStore.list().map((e) => e.certificatePem),
    pollIntervalMs: g.sync_poll_interval * 1000,
    ...(bus ? { bus } : {}),
    logger: logger.child({ component: 'gateway-sync' }),
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
  return {
    listeners,
    async stop() {
      await Promise.all(listeners.map((l) => l.close(config.server.shutdown_timeout * 1000)));
      source.close();
      await gateway.close();
      await counter?.close();
      await bus?.close();
    },
  };
}
