import type { IncomingMessage, ServerResponse } from 'node:http';
import { emptySnapshot } from '../core/index.js';
import { VerifiedTokenCache } from './cache/verified-token-cache.js';
import { compileCors, defaultCorsSettings } from './cors/cors-policy.js';
import type { GatewayOptions } from './gateway-options.js';
import type { VerifiedApiKey } from './handlers/api-key/api-key-authenticator.js';
import type { VerifiedInternalKey } from './handlers/internal-key/internal-key-authenticator.js';
import type { BackendJwtCache } from './handlers/backend-jwt/backend-jwt-handler.js';
import type { VerifiedAccessToken } from './handlers/oauth2/oauth2-authenticator.js';
import { opaqueTokenMiss } from './handlers/oauth2/opaque-token-miss.js';
import { InMemoryRateCounter } from './handlers/throttling/rate-counter.js';
import { healthReporter, signingAliasWarnings } from './health/health-report.js';
import { GatewayMetrics, metricsEndpoint } from './metrics/index.js';
import { GatewayTracing } from './tracing/index.js';

import { createClientIpResolver } from './net/client-ip-resolver.js';
import { buildPipeline, type PipelineDeps } from './pipeline/build-pipeline.js';
import { renderFault } from './pipeline/render-fault.js';
import type { ForwardOptions } from './proxy/forward-request.js';
import { UpstreamPools } from './proxy/upstream-pools.js';
import { createRequestHandler } from './request-handler.js';
import { LiveIndex, type LiveIndexOptions } from './snapshot/live-index.js';
import { SnapshotFollower } from './snapshot/snapshot-follower.js';

/** The data plane: serves API traffic from the current snapshot. */
export interface Gateway {
  /** Request listener for `node:http` and `node:https` servers alike. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves when the first snapshot is loaded. */
  ready(): Promise<void>;
  /** Version of the snapshot being served (0 before the first one). */
  currentVersion(): number;
  /** The gateway's metrics, or null when `settings.metrics` is off. */
  readonly metrics: GatewayMetrics | null;
  /** Stops following snapshots and closes the upstream pools. */
  close(): Promise<void>;
}

/** Drops revocations of expired tokens this often even when no change arrives. */
const PRUNE_INTERVAL_MS = 60_000;

/**
 * Creates the gateway: a {@link SnapshotFollower} keeps the served index current (deltas when the source offers
 * them), and {@link createRequestHandler} serves from it. `GET /health` (liveness) and `GET /health/ready`
 * (readiness) are reserved; every other path is routed as `/{context}/{version}/{rest}`.
 *
 * @example
 * const gateway = createGateway({ snapshotSource, clock: systemClock, logger, settings, version: '0.1.0' });
 * http.createServer(gateway.handle).listen(8280);
 * await gateway.ready();
 */
export function createGateway(opts: GatewayOptions): Gateway {
  const { settings, logger, clock } = opts;
  const pools = new UpstreamPools();
  const deps: PipelineDeps = {
    settings,
    clock,
    logger,
    counter: opts.counter ?? new InMemoryRateCounter(),
    accessTokens: new VerifiedTokenCache<VerifiedAccessToken>(settings.tokenCache),
    apiKeys: new VerifiedTokenCache<VerifiedApiKey>(settings.tokenCache),
    internalKeys: new VerifiedTokenCache<VerifiedInternalKey>(settings.tokenCache),
    backendJwts: new Map() as BackendJwtCache,
    onApiKeyUsed: opts.onApiKeyUsed,
    onUnknownKid: opts.onUnknownKid,
    apiKeyHashSecret: opts.apiKeyHashSecret,
  };
  const indexOptions: LiveIndexOptions = {
    buildPipeline: (api, resource, index) => buildPipeline(api, resource, index, deps),
    logger,
    clockSkewSeconds: settings.clockSkewSeconds,
  };
  const follower = new SnapshotFollower(
    opts.snapshotSource,
    (s) => new LiveIndex(s, indexOptions, clock.now()),
    deps,
    clock,
    logger,
    emptySnapshot(),
  );
  const pruner = setInterval(() => follower.index.revocations.prune(clock.now()), PRUNE_INTERVAL_MS);
  pruner.unref();

  const serverHeader = settings.serverHeader;
  const forward: ForwardOptions = {
    pools,
    removeAuthorization: settings.removeOutboundAuthHeader,
    backendJwtHeader: settings.backendJwt.enabled ? settings.backendJwt.header.toLowerCase() : null,
    onFault: (ctx, res, fault, err) => {
      if (logger.isLevelEnabled('debug'))
        logger.debug({ api: ctx.api.api.id, err }, 'gateway: upstream failed');
      renderFault(res, fault, ctx.api.challenge, serverHeader);
    },
  };
  const metrics = gatewayMetrics(opts, deps, follower);
  const tracing = settings.tracing ? new GatewayTracing(settings.tracing, logger) : null;
  const handle = createRequestHandler({
    served: follower,
    clock,
    logger,
    cors: compileCors(settings.cors ?? defaultCorsSettings()),
    clientIp: createClientIpResolver(settings.clientIp),
    serverHeader,
    forward,
    health: healthReporter(
      opts.snapshotSource,
      follower,
      opts.version,
      () => clock.now(),
      () => [...signingAliasWarnings(follower, opts.apiKeySigningAlias), ...usageWarnings(opts)],
    ),
    metrics,
    tracing,
    usage: opts.usage ?? null,
    opaqueTokenMiss:
      opts.accessTokenLookup && opts.apiKeyHashSecret
        ? opaqueTokenMiss(opts.apiKeyHashSecret, opts.accessTokenLookup, clock)
        : null,
    metricsEndpoint:
      metrics === null || settings.metrics === undefined
        ? null
        : metricsEndpoint({
            ...settings.metrics,
            text: opts.metricsText ?? (() => metrics.registry.metrics()),
            contentType: metrics.registry.contentType,
          }),
  });

  return {
    handle,
    ready: () => follower.ready,
    currentVersion: () => follower.index.version,
    metrics,
    close: async () => {
      clearInterval(pruner);
      follower.close();
      await pools.close();
      await tracing?.close();
    },
  };
}

function gatewayMetrics(
  opts: GatewayOptions,
  caches: PipelineDeps,
  follower: SnapshotFollower,
): GatewayMetrics | null {
  const access = opts.settings.metrics?.access ?? 'off';
  if (access === 'off') return null;
  const now = () => opts.clock.now();
  return new GatewayMetrics({
    snapshot: {
      version: () => follower.index.version,
      ageMs: () => (follower.appliedAt === null ? null : Math.max(0, now() - follower.appliedAt)),
      lag: () => {
        const version = follower.index.version;
        return Math.max(0, (opts.snapshotSource.status?.().head ?? version) - version);
      },
    },
    caches: { access_token: caches.accessTokens, api_key: caches.apiKeys },
    processMetrics: opts.processMetrics,
    ...(opts.usage ? { usageDropped: () => opts.usage!.dropped } : {}),
  });
}

/** A health note while usage analytics lose requests (the buffer filled between two flushes). */
function usageWarnings(opts: GatewayOptions): string[] {
  const dropped = opts.usage?.dropped ?? 0;
  return dropped === 0
    ? []
    : [
        `usage analytics: ${dropped} request(s) not counted because the aggregate buffer was full ([analytics] buffer_size)`,
      ];
}
