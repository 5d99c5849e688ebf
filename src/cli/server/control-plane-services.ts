import { readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Logger } from 'pino';
import type { Config } from '../../config/index.js';
import { systemClock, type SnapshotKeyManager } from '../../core/index.js';
import type { EventBus } from '../../events/index.js';
import { applyUsageFlush, createChangeLog, type Store } from '../../store/index.js';
import type { UsageSink } from '../../gateway/index.js';
import {
  buildControlPlaneContext,
  controlPlaneMetrics,
  createControlPlane,
  startChangeLogPruner,
  createUserService,
  createAuditLog,
  startAuditPruner,
  startUsagePruner,
  createWebhookOutbox,
  startWebhookDelivery,
  type ControlPlane,
  type ControlPlaneMetrics,
  type PorticoUrls,
  type SnapshotService,
} from '../../control-plane/index.js';
import { kidForCert, publicJwk } from '../../crypto/index.js';
import { createApiKeyUsageRecorder } from '../../control-plane/devportal/index.js';
import { startRevocationPruner } from '../../control-plane/maintenance/index.js';
import { createJwksRefresher } from '../../key-manager/external/index.js';
import { packageVersion, type HomePaths } from '../home.js';
import { loadApiKeyHashSecret } from '../api-key-hash-secret.js';
import type { ServerKeys } from '../keys.js';
import { seedDeployment } from './deployment-seed.js';
import { PORTS } from './gateway-settings.js';
import { featureModules, afterStart } from './features.js';

/** Everything a control plane runs besides its listeners, and what an embedded gateway takes from it. */
export interface ControlPlaneServices {
  readonly cp: ControlPlane;
  /** `[metrics]` not off: the control plane's registry, served at /metrics on its listeners. */
  readonly metrics: ControlPlaneMetrics | null;
  readonly snapshots: SnapshotService;
  readonly urls: PorticoUrls;
  readonly adminUser: string;
  /** Tells the control plane a gateway of this process saw an API key in use ("last used"). */
  readonly recordApiKeyUse: (jti: string, at: number) => void;
  /** Asks for a JWKS refresh of an external key manager whose token carried an unknown `kid`. */
  readonly refreshJwks: (keyManager: string) => void;
  /** All-in-one: where the embedded gateway flushes its usage aggregates (the store, directly). */
  readonly usageSink: UsageSink;
  /** The secret opaque API keys are hashed under (the embedded gateway looks them up with it). */
  readonly apiKeyHashSecret: Buffer;
  /** Starts what must wait for the listeners (JWKS refresh, the sample's first deployment). */
  start(): Promise<void>;
  /** Stops the background services and the REST app (listeners first, by the caller). */
  close(): Promise<void>;
}

/**
 * Seeds the deployment (super admin, issuer, sample) and builds the control plane with its change log, change
 * feed, snapshot service, JWKS refresher, API-key usage recorder and pruners, over an open store and event bus.
 */
export async function startControlPlaneServices(o: {
  home: HomePaths;
  config: Readonly<Config>;
  logger: Logger;
  keys: ServerKeys;
  store: Store;
  bus: EventBus;
}): Promise<ControlPlaneServices> {
  const { home, config, logger, keys, store, bus } = o;
  const clock = systemClock;
  const apiKeyHashSecret = (await loadApiKeyHashSecret(home, config, true))!;
  const webhooks = createWebhookOutbox(clock);
  const audit = createAuditLog({ store, clock, logger, sinks: [webhooks.fromAudit] });
  const users = createUserService(store, clock, {
    logger,
    audit,
    allowInsecureAuth: config.server.allow_insecure_auth,
    customRoles: config.user_store.custom_roles,
  });
  const urls = urlsOf(config);
  const { adminUser, issuer } = await seedDeployment(home, config, store, users, logger, urls.issuer);
  urls.issuer = issuer;
  const changes = createChangeLog(store, clock);
  const refresher = createJwksRefresher({
    store,
    bus,
    changes,
    clock,
    logger: logger.child({ component: 'jwks-refresher' }),
  });
  const extras = {
    residentKeyManager: residentKeyManagerEntry(issuer, keys),
    externalJwks: (name: string) => refresher.keys(name),
  };
  const { ctx, close: closeContext } = await buildControlPlaneContext({
    config,
    store,
    clock,
    logger,
    bus,
    changes,
    users,
    audit,
    webhooks,
    extras,
    pollIntervalMs: 1000,
    ...(config.event_hub.type === 'redis' ? { followBus: bus } : {}),
    primaryKey: keys.primary,
    apiKeySigner: keys.apiKeySigner,
    apiKeyHashSecret,
    trustSeed: () => trustedCertsOf(keys),
    urls,
    version: packageVersion(),
  });
  const port = (p: number) => p + config.server.offset;
  const sampleBackendUrl = `http://127.0.0.1:${port(PORTS.controlPlaneHttp)}/am/sample/pizzashack/v1/api/`;
  const metrics =
    config.metrics.access === 'off'
      ? null
      : controlPlaneMetrics({
          outbox: { committedHead: () => ctx.feed.committedHead(), relayedHead: () => ctx.feed.head() },
        });
  const cp = await createControlPlane(ctx, featureModules({ sampleBackendUrl, refresher }), {
    ...(metrics === null ? {} : { metrics }),
  });
  await cp.app.ready();
  const usage = createApiKeyUsageRecorder({
    store,
    clock,
    logger: logger.child({ component: 'api-key-usage' }),
  });
  const stopPruner = startRevocationPruner({ store, clock, logger, intervalMs: 3_600_000 });
  const stopAuditPruner = startAuditPruner({
    audit,
    clock,
    logger,
    retentionDays: config.audit.retention_days,
    intervalMs: 3_600_000,
  });
  const stopUsagePruner = startUsagePruner({
    store,
    clock,
    logger,
    retentionDays: config.analytics.retention_days,
    intervalMs: 3_600_000,
  });
  const webhookDelivery = startWebhookDelivery({
    config,
    store,
    clock,
    logger,
    outbox: webhooks,
    version: packageVersion(),
    ...webhookCa(home, config),
  });
  const stopLogPruner = startChangeLogPruner({
    store,
    clock,
    logger,
    retentionMs: config.event_hub.change_log_retention * 1000,
    intervalMs: 600_000,
  });
  return {
    cp,
    metrics,
    snapshots: ctx.snapshots,
    urls,
    adminUser,
    recordApiKeyUse: usage.record,
    refreshJwks: (name) => void refresher.refresh(name),
    usageSink: async (batch) => void (await applyUsageFlush(store, batch, clock.now())),
    apiKeyHashSecret,
    async start() {
      await refresher.start();
      await afterStart(ctx, cp, { sampleBackendUrl });
    },
    async close() {
      refresher.close();
      closeContext();
      await usage.close();
      await stopPruner();
      await stopLogPruner();
      await stopAuditPruner();
      await stopUsagePruner();
      await webhookDelivery?.close();
      await cp.app.close();
    },
  };
}

/** `[webhooks] ca_file`'s certificates (relative to <home>/resources/security), when set. */
function webhookCa(home: HomePaths, config: Readonly<Config>): { ca?: string[] } {
  const file = config.webhooks.ca_file;
  if (file === '') return {};
  const pem = readFileSync(isAbsolute(file) ? file : join(home.security, file), 'utf8');
  const certs = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (certs.length === 0) throw new Error(`[webhooks] ca_file ${file} holds no PEM certificate`);
  return { ca: certs };
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

/** Public URLs from `[server]` (hostname, offset, enable_http); `issuer` is the default until seeding. */
function urlsOf(config: Readonly<Config>): PorticoUrls {
  const host = config.server.hostname;
  const port = (p: number) => p + config.server.offset;
  return {
    controlPlane: `https://${host}:${port(PORTS.controlPlaneHttps)}`,
    controlPlaneHttp: config.server.enable_http ? `http://${host}:${port(PORTS.controlPlaneHttp)}` : null,
    gatewayHttps: `https://${host}:${port(PORTS.gatewayHttps)}`,
    gatewayHttp: config.server.enable_http ? `http://${host}:${port(PORTS.gatewayHttp)}` : null,
    issuer: `https://${host}:${port(PORTS.controlPlaneHttps)}/oauth2/token`,
  };
}

/** The trust store file's certificates: imported into the store at the deployment's first start (ADR 0007). */
function trustedCertsOf(keys: ServerKeys): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of keys.trustStore.list()) out[e.alias] = e.certificatePem;
  return out;
}
