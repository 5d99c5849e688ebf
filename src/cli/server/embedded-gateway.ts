import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { systemClock, type SnapshotSource } from '../../core/index.js';
import { createGateway, createSharedPermitStore, LeaseCounter } from '../../gateway/index.js';
import { startGatewayWorkers } from '../../gateway/cluster/index.js';
import { packageVersion } from '../home.js';
import type { ServerKeys } from '../keys.js';
import { gatewayListeners, gatewaySettingsFrom, PORTS } from './gateway-settings.js';
import type { Listener, TlsMaterial } from './listeners.js';

/** The gateway of an all-in-one process, in this process or in `[apim.gateway] workers` worker processes. */
export interface EmbeddedGateway {
  /** Its listeners when served from this process (workers share theirs through node:cluster). */
  readonly listeners: Listener[];
  close(timeoutMs: number): Promise<void>;
}

/**
 * Starts the all-in-one gateway on the control plane's in-process snapshot source. With Redis, throttling quotas
 * are shared with every other gateway of the deployment; workers lease their permits from this process (from
 * Redis, or from memory without it).
 */
export async function startEmbeddedGateway(o: {
  config: Readonly<Config>;
  logger: Logger;
  keys: ServerKeys;
  tls: TlsMaterial;
  snapshots: SnapshotSource;
  onApiKeyUsed: (jti: string, at: number) => void;
  onUnknownKid: (keyManager: string) => void;
  apiKeyHashSecret: Buffer;
}): Promise<EmbeddedGateway> {
  const { config, keys, tls } = o;
  const g = config.apim.gateway;
  const logger = o.logger.child({ component: 'gateway' });
  const throttlingLogger = o.logger.child({ component: 'throttling' });
  const settings = gatewaySettingsFrom(config, keys);
  const permits =
    config.event_hub.type === 'redis'
      ? createSharedPermitStore({
          redisUrl: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          expectedGateways: g.expected_gateways,
          logger: throttlingLogger,
        })
      : null;

  if (g.workers > 0) {
    const bind = config.server.bind_address;
    const port = (p: number) => p + config.server.offset;
    const workers = await startGatewayWorkers({
      workers: g.workers,
      snapshotSource: o.snapshots,
      settings,
      logger,
      version: packageVersion(),
      listeners: [
        { host: bind, port: port(PORTS.gatewayHttps), tls },
        ...(config.server.enable_http ? [{ host: bind, port: port(PORTS.gatewayHttp) }] : []),
      ],
      onApiKeyUsed: o.onApiKeyUsed,
      onUnknownKid: o.onUnknownKid,
      apiKeyHashSecret: o.apiKeyHashSecret,
      expectedGateways: g.expected_gateways,
      ...(permits ? { permits } : {}),
    }).catch(async (err: unknown) => {
      await permits?.close();
      throw err;
    });
    return {
      listeners: [],
      async close(timeoutMs) {
        await workers.close(timeoutMs);
        await permits?.close();
      },
    };
  }

  const counter = permits
    ? new LeaseCounter({ source: permits, holders: g.expected_gateways, logger: throttlingLogger })
    : null;
  const gateway = createGateway({
    snapshotSource: o.snapshots,
    clock: systemClock,
    logger,
    settings,
    version: packageVersion(),
    onApiKeyUsed: o.onApiKeyUsed,
    onUnknownKid: o.onUnknownKid,
    apiKeyHashSecret: o.apiKeyHashSecret,
    ...(counter ? { counter } : {}),
  });
  const closeGateway = async () => {
    await gateway.close();
    counter?.close();
    await permits?.close();
  };
  const listeners = await gatewayListeners(gateway, config, tls).catch(async (err: unknown) => {
    await closeGateway();
    throw err;
  });
  await gateway.ready();
  return {
    listeners,
    async close(timeoutMs) {
      await Promise.all(listeners.map((l) => l.close(timeoutMs)));
      await closeGateway();
    },
  };
}
