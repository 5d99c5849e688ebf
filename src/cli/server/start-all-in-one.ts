import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { changeKeys, systemClock, type SnapshotKeyManager } from '../../core/index.js';
import { createInProcessBus, createRedisBus } from '../../events/index.js';
import { createChangeLog } from '../../store/index.js';
import {
  createControlPlane,
  createSnapshotService,
  startChangeFeed,
  startChangeLogPruner,
  createUserService,
  type ControlPlaneContext,
} from '../../control-plane/index.js';
import { kidForCert, publicJwk } from '../../crypto/index.js';
import { createApiKeyUsageRecorder } from '../../control-plane/devportal/index.js';
import { startRevocationPruner } from '../../control-plane/maintenance/index.js';
import { createJwksRefresher } from '../../key-manager/external/index.js';
import { createGateway } from '../../gateway/index.js';
import { startGatewayWorkers } from '../../gateway/cluster/index.js';
import { createSharedPermitStore, LeaseCounter } from '../../gateway/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadServerKeys, type ServerKeys } from '../keys.js';
import { openConfiguredStore } from './configured-store.js';
import { seedDeployment } from './deployment-seed.js';
import { gatewayListeners, gatewaySettingsFrom, PORTS } from './gateway-settings.js';
import { featureModules, afterStart } from './features.js';
import { redisConnectionLogger } from './redis-connection-logger.js';
import { listen, type Listener } from './listeners.js';

export interface RunningServer {
  listeners: Listener[];
  urls: {
    controlPlane: string;
    controlPlaneHttp: string | null;
    gatewayHttps: string;
    gatewayHttp: string | null;
  };
  adminUser: string;
  stop(): Promise<void>;
}

/** The resident key manager as the gateway sees it: issuer, claims and the primary key's JWK. */
export function residentKeyManagerEntry(issuer: string, keys: ServerKeys): SnapshotKeyManager {
  const kid = kidForCert(keys.primary.certificate);
  const jwk = publicJwk(keys.primary.certificate, kid);
  return {
    name: 'Resident Key Manager',
    type: 'default',
    issuer,
    enabled: true,
    consumerKeyClaim: 'azp',
    scopesClaim: 'scope',
    validation: 'jwks',
    jwks: [{ ...jwk, kty: jwk.kty ?? 'RSA' }],
    jwksUri: null,
    introspectionEndpoint: null,
    introspectionAuth: null,
  };
}

export type ServerMode = 'all-in-one' | 'control-plane';

/**
 * Starts the all-in-one server (store, key manager, control plane on 9443/9763, gateway on 8243/8280) or, in
 * `control-plane` mode, everything but the gateway listeners. Every port is shifted by `[server] offset`.
 */
export async function startAllInOne(
  home: HomePaths,
  config: Readonly<Config>,
  logger: Logger,
  mode: ServerMode = 'all-in-one',
): Promise<RunningServer> {
  const version = packageVersion();
  const clock = systemClock;
  const keys = await loadServerKeys(home, config, logger);
  const store = await openConfiguredStore(home, config, logger);
  const onBusError = (err: unknown) => logger.error({ err }, 'event bus error');
  const bus =
    config.event_hub.type === 'redis'
      ? createRedisBus({
          url: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          onError: onBusError,
          onConnectionChange: redisConnectionLogger(logger),
        })
      : createInProcessBus(onBusError);
  const users = createUserService(store, clock, {
    logger,
    allowInsecureAuth: config.server.allow_insecure_auth,
  });

  const host = config.server.hostname;
  const off = config.server.offset;
  const port = (p: number) => p + off;
  const urls = {
    controlPlane: `https://${host}:${port(PORTS.controlPlaneHttps)}`,
    controlPlaneHttp: config.server.enable_http ? `http://${host}:${port(PORTS.controlPlaneHttp)}` : null,
    gatewayHttps: `https://${host}:${port(PORTS.gatewayHttps)}`,
    gatewayHttp: config.server.enable_http ? `http://${host}:${port(PORTS.gatewayHttp)}` : null,
    issuer: '',
  };
  const { adminUser, issuer } = await seedDeployment(
    home,
    config,
    store,
    users,
    logger,
    `https://${host}:${port(PORTS.controlPlaneHttps)}/oauth2/token`,
  );
  urls.issuer = issuer;
  const resident = residentKeyManagerEntry(urls.issuer, keys);
  const changes = createChangeLog(store, clock);
  const refresher = createJwksRefresher({
    store,
    bus,
    changes,
    clock,
    logger: logger.child({ component: 'jwks-refresher' }),
  });
  const extras = {
    residentKeyManager: resident,
    trustedCerts: () => trustedCertsOf(keys),
    externalJwks: (name: string) => refresher.keys(name),
  };
  const feed = await startChangeFeed({
    store,
    changeLog: changes,
    extras,
    clock,
    logger: logger.child({ component: 'change-feed' }),
    ...(config.event_hub.type === 'redis' ? { bus } : {}),
    pollIntervalMs: 1000,
  });
  const snapshots = createSnapshotService({ store, feed, clock, logger, extras });
  const ctx: ControlPlaneContext = {
    config,
    store,
    clock,
    logger,
    bus,
    changes,
    users,
    snapshots,
    feed,
    primaryKey: keys.primary,
    apiKeySigner: keys.apiKeySigner,
    trust: {
      all: () => trustedCertsOf(keys),
      async add(alias, pem, opts) {
        keys.trustStore.add(alias, pem, opts);
        await keys.trustStore.save();
        await changes.write(async (_trx, record) => record(changeKeys.trustStore()));
      },
    },
    urls,
    version,
  };
  const sampleBackendUrl = `http://127.0.0.1:${port(PORTS.controlPlaneHttp)}/am/sample/pizzashack/v1/api/`;
  const cp = await createControlPlane(ctx, featureModules({ sampleBackendUrl, refresher }));
  await cp.app.ready();

  const usage = createApiKeyUsageRecorder({
    store,
    clock,
    logger: logger.child({ component: 'api-key-usage' }),
  });
  const stopPruner = startRevocationPruner({ store, clock, logger, intervalMs: 3_600_000 });
  const stopLogPruner = startChangeLogPruner({
    store,
    clock,
    logger,
    retentionMs: config.event_hub.change_log_retention * 1000,
    intervalMs: 600_000,
  });
  const useWorkers = mode === 'all-in-one' && config.apim.gateway.workers > 0;
  // With Redis, throttling quotas are shared with every other gateway of the deployment; workers lease their
  // permits from this process (from Redis, or from memory without it).
  const expectedGateways = config.apim.gateway.expected_gateways;
  const permits =
    config.event_hub.type === 'redis' && mode === 'all-in-one'
      ? createSharedPermitStore({
          redisUrl: config.event_hub.redis_url,
          namespace: config.event_hub.namespace,
          expectedGateways,
          logger: logger.child({ component: 'throttling' }),
        })
      : null;
  const counter =
    permits && !useWorkers
      ? new LeaseCounter({
          source: permits,
          holders: expectedGateways,
          logger: logger.child({ component: 'throttling' }),
        })
      : null;
  const gateway =
    mode === 'control-plane' || useWorkers
      ? null
      : createGateway({
          snapshotSource: snapshots,
          clock,
          logger: logger.child({ component: 'gateway' }),
          settings: gatewaySettingsFrom(config, keys),
          version,
          onApiKeyUsed: usage.record,
          onUnknownKid: (name) => void refresher.refresh(name),
          ...(counter ? { counter } : {}),
        });

  const tls = {
    key: keys.primary.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    cert: keys.primary.certificatePem,
  };
  const bind = config.server.bind_address;
  const cpHandler = (req: IncomingMessage, res: ServerResponse) => cp.app.routing(req, res);
  const listeners: Listener[] = [];
  try {
    listeners.push(
      await listen(cpHandler, { host: bind, port: port(PORTS.controlPlaneHttps), tls, publicHost: host }),
    );
    if (config.server.enable_http) {
      listeners.push(
        await listen(cpHandler, { host: bind, port: port(PORTS.controlPlaneHttp), publicHost: host }),
      );
    }
    if (gateway) listeners.push(...(await gatewayListeners(gateway, config, tls)));
  } catch (err) {
    await Promise.all(listeners.map((l) => l.close(0)));
    await usage.close();
    await stopPruner();
    await stopLogPruner();
    counter?.close();
    await permits?.close();
    await store.close();
    throw err;
  }
  await gateway?.ready();
  const workers = useWorkers
    ? await startGatewayWorkers({
        workers: config.apim.gateway.workers,
        snapshotSource: snapshots,
        settings: gatewaySettingsFrom(config, keys),
        logger: logger.child({ component: 'gateway' }),
        version,
        listeners: [
          { host: bind, port: port(PORTS.gatewayHttps), tls },
          ...(config.server.enable_http ? [{ host: bind, port: port(PORTS.gatewayHttp) }] : []),
        ],
        onApiKeyUsed: usage.record,
        onUnknownKid: (name) => void refresher.refresh(name),
        expectedGateways,
        ...(permits ? { permits } : {}),
      })
    : null;
  await refresher.start();
  await afterStart(ctx, cp, { sampleBackendUrl });

  let stopping: Promise<void> | null = null;
  return {
    listeners,
    urls,
    adminUser,
    stop() {
      stopping ??= (async () => {
        const timeout = config.server.shutdown_timeout * 1000;
        await Promise.all(listeners.map((l) => l.close(timeout)));
        refresher.close();
        await workers?.close(timeout);
        snapshots.close();
        feed.close();
        await gateway?.close();
        counter?.close();
        await permits?.close();
        await usage.close();
        await stopPruner();
        await stopLogPruner();
        await cp.app.close();
        await bus.close();
        await store.close();
      })();
      return stopping;
    },
  };
}

function trustedCertsOf(keys: ServerKeys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of keys.trustStore.list()) out[e.alias] = e.certificatePem;
  return out;
}
