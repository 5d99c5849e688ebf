import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gatewayFaults, type Clock, type GatewayFault } from '../core/index.js';
import type { CorsPolicy } from './cors/cors-policy.js';
import type { OpaqueTokenMiss } from './handlers/oauth2/opaque-token-miss.js';
import type { UsageBuffer } from './analytics/usage-buffer.js';
import type { GatewayMetrics } from './metrics/gateway-metrics.js';
import type { ClientIpResolver } from './net/client-ip-resolver.js';
import { RequestContext, type CompiledApi } from './pipeline/handler.js';
import { ANONYMOUS, type Principal } from './pipeline/principal.js';
import { renderFault } from './pipeline/render-fault.js';
import { forwardRequest, type ForwardOptions } from './proxy/forward-request.js';
import { matchRoute } from './router/route-table.js';
import type { GatewayTracing, RequestSpan } from './tracing/gateway-tracing.js';
import type { CompiledSnapshot } from './snapshot/compiled-snapshot.js';

const NO_PRODUCTION = gatewayFaults.invalidCredentials(
  'Production key offered to the API with no production endpoint',
);
const NO_SANDBOX = gatewayFaults.invalidCredentials(
  'Sandbox key offered to the API with no sandbox endpoint',
);

export interface RequestHandlerDeps {
  /** The index served now (read once per request). */
  readonly served: { readonly index: CompiledSnapshot };
  readonly clock: Clock;
  readonly logger: { error(obj: object, msg: string): void };
  readonly cors: CorsPolicy | null;
  readonly clientIp: ClientIpResolver;
  readonly serverHeader: string | undefined;
  readonly forward: ForwardOptions;
  /** Answers `GET|HEAD /health` (readiness false) and `/health/ready` (readiness true). */
  readonly health: (res: ServerResponse, readiness: boolean) => void;
  /** Records every answer (null: metrics off; nothing is timed). */
  readonly metrics: GatewayMetrics | null;
  /** W3C trace context and OTLP spans (null: `[tracing]` off; the caller's headers pass through untouched). */
  readonly tracing: GatewayTracing | null;
  /** Answers `GET|HEAD /metrics` (null: the path is routed like any other, so it is a 404 without an API). */
  readonly metricsEndpoint: ((req: IncomingMessage, res: ServerResponse) => void) | null;
  /** Scaled out: asks about an opaque access token refused before its delta arrived (null: never asks). */
  readonly opaqueTokenMiss?: OpaqueTokenMiss | null;
  /** Per-minute usage aggregates of every answer to an API (null: `[analytics]` off; nothing recorded). */
  readonly usage?: UsageBuffer | null;
}

/**
 * The gateway's hot path: `/health` and `/metrics`, or route by `/{context}/{version}` → CORS (the API's own or
 * `[apim.cors]`) → resource by verb and template →
 * the resource's compiled handler chain → the upstream of the key type. No I/O before the upstream call and no
 * allocation beyond the request context; the one exception is an opaque access token not held yet, refused 900901,
 * which may be looked up once (bounded) and the request run again (`opaqueTokenMiss`, ADR 0006). Faults: 404 (no API), 700700 (API blocked), 900906 (no resource), the
 * handlers' faults, 900901 (no endpoint for the key type), 1015xx (upstream), 900900 (unexpected, logged).
 *
 * @example http.createServer(createRequestHandler(deps)).listen(8280);
 */
export function createRequestHandler(
  deps: RequestHandlerDeps,
): (req: IncomingMessage, res: ServerResponse) => void {
  const { served, clock, logger, cors, clientIp, serverHeader, health, metrics, metricsEndpoint, tracing } =
    deps;
  const usage = deps.usage ?? null;
  const timed = metrics !== null || usage !== null;
  const forward: ForwardOptions =
    metrics === null && tracing === null && usage === null
      ? deps.forward
      : {
          ...deps.forward,
          onSettled: (ctx, status, fault) => {
            const end = performance.now();
            metrics?.settled(ctx.api, status, fault, ctx.forwardedAt, end);
            usage?.record(clock.now(), ctx.api.api, ctx.principal, status, end - ctx.startedAt);
            if (ctx.trace !== null) tracing!.end(ctx.trace, status, fault);
          },
        };
  let startedAt = 0;
  let span: RequestSpan | null = null;
  const fail = (
    res: ServerResponse,
    fault: GatewayFault,
    challenge: string | null,
    api: CompiledApi | null = null,
    principal: Principal = ANONYMOUS,
  ): void => {
    renderFault(res, fault, challenge, serverHeader);
    if (timed) {
      const end = performance.now();
      metrics?.fault(api, fault, startedAt, end);
      // Requests that match no API are not usage of any API (they are in /metrics).
      if (api !== null) usage?.record(clock.now(), api.api, principal, fault.status, end - startedAt);
    }
    if (span !== null) tracing!.end(span, fault.status, fault);
  };

  const opaqueTokenMiss = deps.opaqueTokenMiss ?? null;
  /** The 900901 refusal stands unless the request's opaque token turns out to be live (then it runs again). */
  const refuseOrLearn = (
    req: IncomingMessage,
    res: ServerResponse,
    index: CompiledSnapshot,
    fault: GatewayFault,
    api: CompiledApi,
  ): void => {
    const learning = opaqueTokenMiss!(req, index);
    if (learning === null) return fail(res, fault, api.challenge, api);
    // Settled after other requests have run: this request's start and span are kept, not the shared variables.
    const started = startedAt;
    const own = span;
    const refuse = () => {
      renderFault(res, fault, api.challenge, serverHeader);
      const end = performance.now();
      metrics?.fault(api, fault, started, end);
      usage?.record(clock.now(), api.api, ANONYMOUS, fault.status, end - started);
      if (own !== null) tracing!.end(own, fault.status, fault);
    };
    learning.then((learned) => {
      if (!learned) return refuse();
      if (own !== null) own.span.end(); // the second run has a span of its own
      handle(req, res, false);
    }, refuse);
  };

  const handle = function handleRequest(req: IncomingMessage, res: ServerResponse, mayLearn: boolean) {
    // Synchronous up to the upstream call, so one variable serves every fault path of this request.
    startedAt = timed ? performance.now() : 0;
    span = null;
    try {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      const method = req.method ?? 'GET';
      const reads = method === 'GET' || method === 'HEAD';
      const isHealth = (path === '/health' || path === '/health/ready') && reads;
      const isMetrics = metricsEndpoint !== null && path === '/metrics' && reads;
      const index = served.index;
      const match = isHealth || isMetrics ? null : matchRoute(index.routes, path);
      if (req.headers.origin !== undefined) {
        // An API's own corsConfiguration replaces [apim.cors] for it (WSO2); an OPTIONS resource of the API
        // takes its own preflights to the backend.
        const policy = match !== null && match.api.cors !== null ? match.api.cors : cors;
        if (policy !== null) {
          if (!(method === 'OPTIONS' && match !== null && hasOptionsResource(match.api, match.restPath)))
            if (policy.preflight(req, res)) return;
          policy.decorate(req, res);
        }
      }
      if (isHealth) return health(res, path === '/health/ready');
      if (isMetrics) return metricsEndpoint(req, res);
      if (tracing !== null) span = tracing.start(req, path);

      if (match === null) return fail(res, gatewayFaults.noApi(), null);
      const api = match.api;
      if (span !== null) tracing!.named(span, method, api.api.name, api.contextVersion);
      if (api.blocked) return fail(res, gatewayFaults.apiLifecycleBlocked(), null, api);
      const rest = match.restPath === '' ? '/' : match.restPath;
      let resource = undefined;
      for (const r of api.resources) {
        if ((r.verb === method || r.verb === '*') && r.template.matches(rest)) {
          resource = r;
          break;
        }
      }
      if (resource === undefined) return fail(res, gatewayFaults.noMatchingResource(), null, api);

      const ctx = new RequestContext(
        req,
        api,
        resource,
        match.restPath,
        q < 0 ? '' : url.slice(q + 1),
        clock.now(),
        clientIp(req),
        startedAt,
      );
      ctx.trace = span;
      const pipeline = resource.pipeline;
      for (let i = 0; i < pipeline.length; i++) {
        const fault = pipeline[i]!(ctx);
        if (fault === undefined) continue;
        if (mayLearn && opaqueTokenMiss !== null && fault.code === '900901' && fault.status === 401) {
          return refuseOrLearn(req, res, index, fault, api);
        }
        return fail(res, fault, api.challenge, api, ctx.principal);
      }
      const sandbox = ctx.principal.keyType === 'SANDBOX';
      const upstream = sandbox ? api.sandbox : api.production;
      if (upstream === null)
        return fail(res, sandbox ? NO_SANDBOX : NO_PRODUCTION, api.challenge, api, ctx.principal);
      if (metrics !== null) {
        ctx.forwardedAt = performance.now();
        metrics.forwarded(api, startedAt, ctx.forwardedAt);
      }
      forwardRequest(ctx, res, upstream, forward);
    } catch (err) {
      const requestId = randomUUID();
      logger.error({ err, requestId }, 'gateway: unexpected error');
      fail(res, gatewayFaults.unclassified(`Unexpected error; request id ${requestId}`), null);
    }
  };
  return (req, res) => handle(req, res, true);
}

/** True when the API has an `OPTIONS` resource matching the path (its preflights are the backend's to answer). */
function hasOptionsResource(api: CompiledApi, restPath: string): boolean {
  if (!api.hasOptionsResource) return false;
  const rest = restPath === '' ? '/' : restPath;
  return api.resources.some((r) => r.verb === 'OPTIONS' && r.template.matches(rest));
}
