import { join } from 'node:path';
import type { Logger } from 'pino';
import { gatewayControlPlaneUrls, type Config } from '../../config/index.js';
import { systemClock } from '../../core/index.js';
import { createRedisBus, type EventBus } from '../../events/index.js';
import {
  createControlPlaneClient,
  createGateway,
  createRemoteSnapshotSource,
  createSharedPermitStore,
  LeaseCounter,
  loadOrCreateGatewayId,
  startHeartbeats,
  type SharedPermitStore,
} from '../../gateway/index.js';
import { startGatewayWorkers, type GatewayWorkers } from '../../gateway/cluster/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadApiKeyHashSecret } from '../api-key-hash-secret.js';
import { loadServerKeys } from '../keys.js';
import type { Listener } from './listeners.js';
import { redisConnectionLogger } from './redis-connection-logger.js';
import { gatewayListeners, gatewaySettingsFrom, PORTS } from './gateway-settings.js';

export interface RunningGateway {
  /** Public URLs of the gateway's listeners. */
  urls: string[];
  stop(): Promise<void>;
}

/**
 * Starts a gateway in its own process (scaled out): snapshot and changes from `[apim.gateway] control_plane_urls`
 * (with failover), change events from Redis when `[event_hub] type = "redis"`, the last-good snapshot persisted
 * under `<home>/gateway/` (served when no control plane answers at start), heartbeats with the gateway id kept
 * there, TLS and backend-JWT key from this home's keystore. Control-plane certificates are verified against the
 * trust store. With `[apim.gateway] workers` > 0 the traffic is served by that many worker processes, which lease
 * quota permits from this one.
 */
export async function startGatewayOnly(
  home: HomePaths,
  config: Readonly<Config>,
  logger: Logger,
): Promise<RunningGateway> {
  const startedAt = systemClock.now();
  const keys = await loadServerKeys(home, config, logger);
  // Never generated here: a gateway must hash opaque keys under the control plane's secret.
  const apiKeyHashSecret = await loadApiKeyHashSecret(home, config, false);
  if (apiKeyHashSecret === undefined) {
    logger.warn(
      'gateway: no API-key hash secret ([apim.devportal] api_key_hash_secret or resources/security/api-key-hash-secret): opaque API keys are refused',
    );
  }
  const secretOption = apiKeyHashSecret ? { apiKeyHashSecret } : {};
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
  const heartbeatsFrom = (address: string) =>
    startHeartbeats({
      client,
      source,
      id: loadOrCreateGatewayId(join(home.gateway, 'gateway-id'), syncLogger),
      address,
      softwareVersion: packageVersion(),
      startedAt,
      intervalMs: g.heartbeat_interval * 1000,
      logger: syncLogger,
    });
  // With Redis, quotas are shared by every gateway (and its workers) through Redis leases.
  const permits: SharedPermitStore | null =
    config.event_hub.type === 'redis'
      ? createSharedPermitStore({
          redisUrl: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          expectedGateways: g.expected_gateways,
          logger: logger.child({ component: 'throttling' }),
        })
      : null;
  const settings = gatewaySettingsFrom(config, keys);
  const tls = {
    key: keys.primary.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cert: keys.primary.certificatePem,
  };
  const timeout = config.server.shutdown_timeout * 1000;

  if (g.workers > 0) {
    const bind = config.server.bind_address;
    const off = config.server.offset;
    let workers: GatewayWorkers;
    try {
      workers = await startGatewayWorkers({
        workers: g.workers,
        snapshotSource: source,
        settings,
        logger: logger.child({ component: 'gateway' }),
        version: packageVersion(),
        listeners: [
          { host: bind, port: PORTS.gatewayHttps + off, tls },
          ...(config.server.enable_http ? [{ host: bind, port: PORTS.gatewayHttp + off }] : []),
        ],
        expectedGateways: g.expected_gateways,
        ...(permits ? { permits } : {}),
        ...secretOption,
      });
    } catch (err) {
      await source.close();
      await permits?.close();
      await bus?.close();
      throw err;
    }
    const host = config.server.hostname;
    const urls = [
      `https://${host}:${PORTS.gatewayHttps + off}`,
      ...(config.server.enable_http ? [`http://${host}:${PORTS.gatewayHttp + off}`] : []),
    ];
    const heartbeats = heartbeatsFrom(urls[0]!);
    return {
      urls,
      async stop() {
        heartbeats.stop();
        await workers.close(timeout);
        await source.close();
        await permits?.close();
        await bus?.close();
      },
    };
  }

  const counter = permits
    ? new LeaseCounter({
        source: permits,
        holders: g.expected_gateways,
        logger: logger.child({ component: 'throttling' }),
      })
    : null;
  const gateway = createGateway({
    snapshotSource: source,
    clock: systemClock,
    logger: logger.child({ component: 'gateway' }),
    settings,
    version: packageVersion(),
    ...(counter ? { counter } : {}),
    ...secretOption,
  });
  const listeners: Listener[] = await gatewayListeners(gateway, config, tls);
  await gateway.ready();
  const heartbeats = heartbeatsFrom(listeners[0]?.url ?? config.server.hostname);
  return {
    urls: listeners.map((l) => l.url),
    async stop() {
      heartbeats.stop();
      await Promise.all(listeners.map((l) => l.close(timeout)));
      await source.close();
      await gateway.close();
      counter?.close();
      await permits?.close();
      await bus?.close();
    },
  };
}
