import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { emptySnapshot, gatewayFaults, type GatewayFault, type Snapshot } from '../core/index.js';
import { VerifiedTokenCache } from './cache/verified-token-cache.js';
import type { GatewayOptions } from './gateway-options.js';
import type { VerifiedApiKey } from './handlers/api-key/api-key-authenticator.js';
import type { BackendJwtCache } from './handlers/backend-jwt/backend-jwt-handler.js';
import type { VerifiedAccessToken } from './handlers/oauth2/oauth2-authenticator.js';
import { InMemoryRateCounter } from './handlers/throttling/rate-counter.js';
import { createClientIpResolver } from './net/client-ip-resolver.js';
import { buildPipeline, type PipelineDeps } from './pipeline/build-pipeline.js';
import { RequestContext } from './pipeline/handler.js';
import { compileCors, defaultCorsSettings } from './cors/cors-policy.js';
import { renderFault } from './pipeline/render-fault.js';
import { forwardRequest, type ForwardOptions } from './proxy/forward-request.js';
import { UpstreamPools } from './proxy/upstream-pools.js';
import { matchRoute } from './router/route-table.js';
import type { CompiledSnapshot } from './snapshot/compiled-snapshot.js';
import { compileSnapshot } from './snapshot/compile-snapshot.js';

/** The data plane: serves API traffic from the current snapshot. */
export interface Gateway {
  /** Request listener for `node:http` and `node:https` servers alike. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves when the first snapshot is loaded. */
  ready(): Promise<void>;
  /** Version of the snapshot being served (0 before the first one). */
  currentVersion(): number;
  /** Stops following snapshots and closes the upstream pools. */
  close(): Promise<void>;
}

const NO_PRODUCTION = gatewayFaults.invalidCredentials(
  'Production key offered to the API with no production endpoint',
);
const NO_SANDBOX = gatewayFaults.invalidCredentials(
  'Sandbox key offered to the API with no sandbox endpoint',
);

/**
 * Creates the gateway. `GET /health` is reserved; every other path is routed as `/{context}/{version}/{rest}`.
 * Faults: 404 (no API), 700700 (API blocked), 900906 (no resource), the authentication, subscription, scope and
 * throttling faults of the compiled handlers, 900901 (no endpoint for the key type), 1015xx (upstream).
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
    backendJwts: new Map() as BackendJwtCache,
    onApiKeyUsed: opts.onApiKeyUsed,
    onUnknownKid: opts.onUnknownKid,
  };
  const compile = (s: Snapshot): CompiledSnapshot =>
    compileSnapshot(s, (api, resource, index) => buildPipeline(api, resource, index, deps), logger);
  let current = compile(emptySnapshot());
  const clientIp = createClientIpResolver(settings.clientIp);
  const serverHeader = settings.serverHeader;

  const apply = (snapshot: Snapshot): void => {
    if (snapshot.version < current.version) {
      logger.warn(
        { version: snapshot.version, serving: current.version },
        'gateway: ignoring an older snapshot',
      );
      return;
    }
    let next: CompiledSnapshot;
    try {
      next = compile(snapshot);
    } catch (err) {
      logger.error({ err, version: snapshot.version }, 'gateway: snapshot rejected, keeping the current one');
      return;
    }
    const prev = current.snapshot;
    if (JSON.stringify(prev.keyManagers) !== JSON.stringify(snapshot.keyManagers)) deps.accessTokens.clear();
    if (JSON.stringify(prev.trustedCerts) !== JSON.stringify(snapshot.trustedCerts)) deps.apiKeys.clear();
    deps.accessTokens.evictRevoked(next.revoked);
    deps.apiKeys.evictRevoked(next.revoked);
    deps.backendJwts.clear();
    current = next;
    logger.info({ version: next.version, apis: next.routes.size }, 'gateway: serving snapshot');
  };

  const unsubscribe = opts.snapshotSource.subscribe(apply);
  const first = opts.snapshotSource.current().then(apply);
  first.catch((err: unknown) => logger.error({ err }, 'gateway: could not load the first snapshot'));

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

  const fail = (res: ServerResponse, fault: GatewayFault, challenge: string | null): void =>
    renderFault(res, fault, challenge, serverHeader);

  const cors = compileCors(settings.cors ?? defaultCorsSettings());
  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    try {
      if (cors !== null && req.headers.origin !== undefined) {
        if (cors.preflight(req, res)) return;
        cors.decorate(req, res);
      }
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      if (path === '/health' && (method === 'GET' || method === 'HEAD'))
        return health(res, opts.version, current.version);

      const match = matchRoute(current.routes, path);
      if (match === null) return fail(res, gatewayFaults.noApi(), null);
      const api = match.api;
      if (api.blocked) return fail(res, gatewayFaults.apiLifecycleBlocked(), null);
      const rest = match.restPath === '' ? '/' : match.restPath;
      let resource = undefined;
      for (const r of api.resources) {
        if ((r.verb === method || r.verb === '*') && r.template.matches(rest)) {
          resource = r;
          break;
        }
      }
      if (resource === undefined) return fail(res, gatewayFaults.noMatchingResource(), null);

      const ctx = new RequestContext(
        req,
        api,
        resource,
        match.restPath,
        q < 0 ? '' : url.slice(q + 1),
        clock.now(),
        clientIp(req),
      );
      const pipeline = resource.pipeline;
      for (let i = 0; i < pipeline.length; i++) {
        const fault = pipeline[i]!(ctx);
        if (fault !== undefined) return fail(res, fault, api.challenge);
      }
      const sandbox = ctx.principal.keyType === 'SANDBOX';
      const upstream = sandbox ? api.sandbox : api.production;
      if (upstream === null) return fail(res, sandbox ? NO_SANDBOX : NO_PRODUCTION, api.challenge);
      forwardRequest(ctx, res, upstream, forward);
    } catch (err) {
      const requestId = randomUUID();
      logger.error({ err, requestId }, 'gateway: unexpected error');
      fail(res, gatewayFaults.unclassified(`Unexpected error; request id ${requestId}`), null);
    }
  };

  return {
    handle,
    ready: () => first,
    currentVersion: () => current.version,
    close: async () => {
      unsubscribe();
      await pools.close();
    },
  };
}

function health(res: ServerResponse, version: string, snapshotVersion: number): void {
  const body = JSON.stringify({ status: 'UP', version, snapshotVersion });
  res.writeHead(200, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
