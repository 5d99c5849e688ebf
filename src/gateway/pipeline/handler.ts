import type { IncomingMessage } from 'node:http';
import type { GatewayFault, SnapshotApi, SnapshotResource, SnapshotSubscription } from '../../core/index.js';
import type { CorsPolicy } from '../cors/cors-policy.js';
import type { ResourceTemplate } from '../router/resource-template.js';
import type { RequestSpan } from '../tracing/gateway-tracing.js';
import { ANONYMOUS, type Principal } from './principal.js';

/**
 * The per-request state the compiled handlers read and fill. One instance per request; its shape never changes
 * (all fields are initialised in the constructor) so the handler loop stays monomorphic.
 */
export class RequestContext {
  /** Set by authentication; {@link ANONYMOUS} for resources with auth type `None`. */
  principal: Principal = ANONYMOUS;
  /** Signed backend JWT to send upstream, set by the backend-JWT handler. */
  backendJwt: string | null = null;
  /** `performance.now()` when the request was handed to the upstream (0 before), for the metrics. */
  forwardedAt = 0;
  /** The request's trace span with `[tracing]` on (its `traceparent` goes upstream); null when off. */
  trace: RequestSpan | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly api: CompiledApi,
    readonly resource: CompiledResource,
    /** Raw path after `/{context}/{version}` (may be empty). */
    readonly restPath: string,
    /** Raw query string without `?` (empty when none). */
    readonly query: string,
    /** Epoch ms at the start of the request. */
    readonly now: number,
    /** Client IP per the gateway's client-IP settings. */
    readonly clientIp: string,
    /** `performance.now()` at the start of the request (latency metrics; 0 when metrics are off). */
    readonly startedAt = 0,
  ) {}
}

/** One compiled step of a request: returns a fault to stop, or undefined to continue. */
export type Handler = (ctx: RequestContext) => GatewayFault | undefined;

/** A parsed upstream endpoint: the pool is chosen by `origin`, the path is `basePath` + the request's rest. */
export interface Upstream {
  readonly url: string;
  readonly origin: string;
  /** Path of the endpoint URL without a trailing `/` (may be empty). */
  readonly basePath: string;
}

/** A resource with its template and compiled handler chain. */
export interface CompiledResource {
  readonly resource: SnapshotResource;
  /** Upper-case verb or `*`. */
  readonly verb: string;
  readonly template: ResourceTemplate;
  /** Frozen chain of handlers run for every request to this resource. */
  readonly pipeline: readonly Handler[];
}

/** A served API, compiled for one snapshot. */
export interface CompiledApi {
  readonly api: SnapshotApi;
  /** `${context}/${version}`: the routing key and the `subscribedAPIs[].context` of full-claims API keys. */
  readonly contextVersion: string;
  /** Lifecycle BLOCKED: every request gets 700700. */
  readonly blocked: boolean;
  /** Most specific first. */
  readonly resources: readonly CompiledResource[];
  /** Subscriptions to this API by application id. */
  readonly subscriptionsByApp: ReadonlyMap<number, SnapshotSubscription>;
  /** `SnapshotApi.subscriptionlessTier`: the tier of callers without a subscription, or null (one is required). */
  readonly subscriptionlessTier: string | null;
  /** `WWW-Authenticate` value for 401 faults, listing the schemes the API enables. */
  readonly challenge: string;
  /** Lower-cased API-key header name, or null when the API does not enable API keys. */
  readonly apiKeyHeader: string | null;
  /** True when the API enables OAuth2 (the client's `Authorization` is then consumed by the gateway). */
  readonly usesOAuth2: boolean;
  readonly production: Upstream | null;
  readonly sandbox: Upstream | null;
  /** The API's own CORS policy (`SnapshotApi.cors`), compiled; null: the gateway's `[apim.cors]` applies. */
  readonly cors: CorsPolicy | null;
  /** True when a resource has the verb `OPTIONS`: its preflights go to the backend, as WSO2 does. */
  readonly hasOptionsResource: boolean;
  /** Key managers whose access tokens the API accepts (`SnapshotApi.keyManagers`); null: every one (`all`). */
  readonly allowedKeyManagers: ReadonlySet<string> | null;
}
