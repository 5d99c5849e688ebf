import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import type { PorticoUrls } from '../../control-plane/index.js';
import { createInProcessBus, createRedisBus, type EventBus } from '../../events/index.js';
import { metricsEndpoint } from '../../gateway/metrics/index.js';
import type { HomePaths } from '../home.js';
import { loadServerKeys, type ServerKeys } from '../keys.js';
import { openConfiguredStore } from './configured-store.js';
import { startControlPlaneServices, type ControlPlaneServices } from './control-plane-services.js';
import { serveGateway, type ServedGateway } from './serve-gateway.js';
import { listenPair, PORTS } from './gateway-settings.js';
import type { Listener, TlsMaterial } from './listeners.js';
import { redisConnectionLogger } from './redis-connection-logger.js';

export interface RunningServer {
  listeners: Listener[];
  urls: PorticoUrls;
  adminUser: string;
  stop(): Promise<void>;
}

export type ServerMode = 'all-in-one' | 'control-plane';

/**
 * Starts the all-in-one server (store, key manager, control plane on 9443/9763, gateway on 8243/8280) or, in
 * `control-plane` mode, everything but the gateway. Every port is shifted by `[server] offset`.
 */
export async function startAllInOne(
  home: HomePaths,
  config: Readonly<Config>,
  logger: Logger,
  mode: ServerMode = 'all-in-one',
): Promise<RunningServer> {
  const keys = await loadServerKeys(home, config, logger);
  const store = await openConfiguredStore(home, config, logger);
  const bus = openEventBus(config, logger);
  const services = await startControlPlaneServices({ home, config, logger, keys, store, bus });
  const tls = tlsOf(keys);
  let listeners: Listener[] = [];
  let gateway: ServedGateway | null = null;
  try {
    listeners = await controlPlaneListeners(services, config, tls);
    if (mode === 'all-in-one') {
      gateway = await serveGateway({
        config,
        logger,
        keys,
        tls,
        snapshots: services.snapshots,
        onApiKeyUsed: services.recordApiKeyUse,
        onUnknownKid: services.refreshJwks,
        apiKeyHashSecret: services.apiKeyHashSecret,
        usageSink: services.usageSink,
      });
    }
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close(0)));
    await services.close();
    await bus.close();
    await store.close();
    throw err;
  }
  await services.start();

  let stopping: Promise<void> | null = null;
  return {
    listeners: [...listeners, ...(gateway?.listeners ?? [])],
    urls: services.urls,
    adminUser: services.adminUser,
    stop() {
      stopping ??= (async () => {
        const timeout = config.server.shutdown_timeout * 1000;
        await Promise.all([...listeners.map((l) => l.close(timeout)), gateway?.close(timeout)]);
        await services.close();
        await bus.close();
        await store.close();
      })();
      return stopping;
    },
  };
}

/** Redis when `[event_hub] type = "redis"` (it connects in the background: Portico starts without it). */
function openEventBus(config: Readonly<Config>, logger: Logger): EventBus {
  const onError = (err: unknown) => logger.error({ err }, 'event bus error');
  return config.event_hub.type === 'redis'
    ? createRedisBus({
        url: config.event_hub.redis_url,
        namespace: config.event_hub.namespace,
        onError,
        onConnectionChange: redisConnectionLogger(logger),
      })
    : createInProcessBus(onError);
}

/** The control plane's HTTPS listener and, with `[server] enable_http`, its plain-HTTP one. */
function controlPlaneListeners(
  services: ControlPlaneServices,
  config: Readonly<Config>,
  tls: TlsMaterial,
): Promise<Listener[]> {
  const routing = (req: IncomingMessage, res: ServerResponse) => services.cp.app.routing(req, res);
  const metrics = services.metrics;
  const serveMetrics =
    metrics === null
      ? null
      : metricsEndpoint({
          ...config.metrics,
          text: () => metrics.registry.metrics(),
          contentType: metrics.registry.contentType,
        });
  // /metrics is answered before Fastify so a scrape is not itself counted, authenticated or logged as a request.
  const handler =
    serveMetrics === null
      ? routing
      : (req: IncomingMessage, res: ServerResponse) =>
          (req.url === '/metrics' || req.url?.startsWith('/metrics?')) &&
          (req.method === 'GET' || req.method === 'HEAD')
            ? serveMetrics(req, res)
            : routing(req, res);
  return listenPair(handler, config, tls, { https: PORTS.controlPlaneHttps, http: PORTS.controlPlaneHttp });
}

function tlsOf(keys: ServerKeys): TlsMaterial {
  return {
    key: keys.primary.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cert: keys.primary.certificatePem,
  };
}
