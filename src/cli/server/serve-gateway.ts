import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { systemClock, type SnapshotSource } from '../../core/index.js';
import {
  createGateway,
  createSharedPermitStore,
  LeaseCounter,
  startUsageFlusher,
  UsageBuffer,
  type UsageSink,
  type GatewayOptions,
} from '../../gateway/index.js';
import { startGatewayWorkers } from '../../gateway/cluster/index.js';
import { packageVersion } from '../home.js';
import type { ServerKeys } from '../keys.js';
import { gatewayListeners, gatewaySettingsFrom, PORTS } from './gateway-settings.js';
import type { Listener, TlsMaterial } from './listeners.js';

/** A gateway served in this process or in `[apim.gateway] workers` worker processes. */
export interface ServedGateway {
  /** Its listeners when served from this process (workers share theirs through node:cluster). */
  readonly listeners: Listener[];
  /** Public URLs of its listeners (HTTPS first), in either case. */
  readonly urls: string[];
  close(timeoutMs: number): Promise<void>;
}

export interface ServeGatewayOptions {
  config: Readonly<Config>;
  logger: Logger;
  keys: ServerKeys;
  tls: TlsMaterial;
  snapshots: SnapshotSource;
  /** All-in-one only: the control plane records API-key use and refreshes key managers' JWKS. */
  onApiKeyUsed?: (jti: string, at: number) => void;
  onUnknownKid?: (keyManager: string) => void;
  /** Verifies opaque API keys (absent: they are refused). */
  apiKeyHashSecret?: Buffer;
  /** Scaled out, served from this process: the bounded lookup of opaque access tokens not received yet. */
  accessTokenLookup?: GatewayOptions['accessTokenLookup'];
  /** Where usage aggregates are flushed (`[analytics] enabled`): the store all-in-one, the control plane scaled out. */
  usageSink?: UsageSink;
}

/**
 * Serves the gateway on `snapshots` (the control plane's in-process source all-in-one, the remote one scaled out)
 * on 8243/8280 + offset. With Redis, throttling quotas are shared with every other gateway of the deployment;
 * workers lease their permits from this process (from Redis, or from memory without it).
 */
export async function serveGateway(o: ServeGatewayOptions): Promise<ServedGateway> {
  const { config, keys, tls } = o;
  const g = config.apim.gateway;
  const logger = o.logger.child({ component: 'gateway' });
  const throttlingLogger = o.logger.child({ component: 'throttling' });
  const settings = gatewaySettingsFrom(config, keys);
  const callbacks = {
    ...(o.onApiKeyUsed ? { onApiKeyUsed: o.onApiKeyUsed } : {}),
    ...(o.onUnknownKid ? { onUnknownKid: o.onUnknownKid } : {}),
    ...(o.apiKeyHashSecret ? { apiKeyHashSecret: o.apiKeyHashSecret } : {}),
  };
  const permits =
    config.event_hub.type === 'redis'
      ? createSharedPermitStore({
          redisUrl: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          expectedGateways: g.expected_gateways,
          logger: throttlingLogger,
        })
      : null;
  // Usage aggregates: workers send theirs here every second; this process merges and flushes them.
  const usage =
    o.usageSink && config.analytics.enabled ? new UsageBuffer(config.analytics.buffer_size) : null;
  const flusher =
    usage && o.usageSink
      ? startUsageFlusher({
          buffer: usage,
          sink: o.usageSink,
          intervalMs: config.analytics.flush_interval * 1000,
          logger: o.logger.child({ component: 'usage-analytics' }),
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
      ...callbacks,
      expectedGateways: g.expected_gateways,
      apiKeySigningAlias: config.apim.devportal.api_key_alias,
      ...(permits ? { permits } : {}),
      ...(usage ? { usage } : {}),
    }).catch(async (err: unknown) => {
      await flusher?.stop();
      await permits?.close();
      throw err;
    });
    const host = config.server.hostname;
    return {
      listeners: [],
      urls: [
        `https://${host}:${port(PORTS.gatewayHttps)}`,
        ...(config.server.enable_http ? [`http://${host}:${port(PORTS.gatewayHttp)}`] : []),
      ],
      async close(timeoutMs) {
        await workers.close(timeoutMs);
        await flusher?.stop();
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
    apiKeySigningAlias: config.apim.devportal.api_key_alias,
    ...callbacks,
    ...(counter ? { counter } : {}),
    ...(o.accessTokenLookup ? { accessTokenLookup: o.accessTokenLookup } : {}),
    ...(usage ? { usage } : {}),
  });
  const closeGateway = async () => {
    await gateway.close();
    await flusher?.stop();
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
    urls: listeners.map((l) => l.url),
    async close(timeoutMs) {
      await Promise.all(listeners.map((l) => l.close(timeoutMs)));
      await closeGateway();
    },
  };
}
