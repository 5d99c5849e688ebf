import { join } from 'node:path';
import type { Logger } from 'pino';
import { gatewayControlPlaneUrls, type Config } from '../../config/index.js';
import { systemClock } from '../../core/index.js';
import { createRedisBus } from '../../events/index.js';
import {
  boundedAccessTokenLookup,
  controlPlaneAccessTokenFetch,
  controlPlaneUsageSink,
  createControlPlaneClient,
  createRemoteSnapshotSource,
  loadOrCreateGatewayId,
  startHeartbeats,
} from '../../gateway/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadApiKeyHashSecret } from '../api-key-hash-secret.js';
import { loadServerKeys } from '../keys.js';
import { redisConnectionLogger } from './redis-connection-logger.js';
import { serveGateway } from './serve-gateway.js';

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
  const syncLogger = logger.child({ component: 'gateway-sync' });
  const bus =
    config.event_hub.type === 'redis'
      ? createRedisBus({
          url: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          onError: (err) => logger.warn({ err }, 'event bus error'),
          onConnectionChange: redisConnectionLogger(logger),
        })
      : undefined;
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
  const closeSync = async () => {
    await source.close();
    await lookupClient.close();
    await bus?.close();
  };
  const tls = {
    key: keys.primary.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cert: keys.primary.certificatePem,
  };
  // A token used before its delta arrived is asked about once, bounded (ADR 0006); workers rely on deltas alone.
  const lookupClient = createControlPlaneClient({
    urls: gatewayControlPlaneUrls(config),
    username: g.sync_username,
    password: g.sync_password,
    ca: keys.trustStore.list().map((e) => e.certificatePem),
    logger: syncLogger,
    timeoutMs: 2000,
  });
  const accessTokenLookup = boundedAccessTokenLookup({
    fetch: controlPlaneAccessTokenFetch(lookupClient),
    clock: systemClock,
    logger: syncLogger,
  });
  const gateway = await serveGateway({
    config,
    logger,
    keys,
    tls,
    snapshots: source,
    ...secretOption,
    ...(g.workers === 0 ? { accessTokenLookup } : {}),
    // Scaled out, the store is reached only through the control plane's internal API.
    usageSink: controlPlaneUsageSink(client, syncLogger),
  }).catch(async (err: unknown) => {
    await closeSync();
    throw err;
  });
  const heartbeats = startHeartbeats({
    client,
    source,
    id: loadOrCreateGatewayId(join(home.gateway, 'gateway-id'), syncLogger),
    address: gateway.urls[0] ?? config.server.hostname,
    softwareVersion: packageVersion(),
    startedAt,
    intervalMs: g.heartbeat_interval * 1000,
    logger: syncLogger,
  });
  return {
    urls: gateway.urls,
    async stop() {
      heartbeats.stop();
      await gateway.close(config.server.shutdown_timeout * 1000);
      await closeSync();
    },
  };
}
