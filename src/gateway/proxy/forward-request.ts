import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';
import { gatewayFaults, type GatewayFault } from '../../core/index.js';
import type { RequestContext } from '../pipeline/handler.js';
import type { Upstream } from '../snapshot/compiled-snapshot.js';
import type { UpstreamPools } from './upstream-pools.js';
import { stripApiKeyParam } from '../net/strip-api-key-param.js';
import { normalizeSocketAddress } from '../net/client-ip-resolver.js';
import { INTERNAL_KEY_HEADER } from '../handlers/internal-key/internal-key-authenticator.js';

/** Headers never forwarded in either direction (RFC 9110 §7.6.1), plus ones the gateway sets itself. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'proxy-connection',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'expect',
  'http2-settings',
]);

/** Options of {@link forwardRequest} fixed per gateway. */
export interface ForwardOptions {
  readonly pools: UpstreamPools;
  readonly removeAuthorization: boolean;
  /** Lower-cased backend-JWT header name (any client-sent value is dropped), or null when disabled. */
  readonly backendJwtHeader: string | null;
  /** Renders a fault when the upstream call fails before the response started. */
  readonly onFault: (ctx: RequestContext, res: ServerResponse, fault: GatewayFault, err: Error) => void;
  /**
   * Called once when the upstream exchange ends: with the upstream's status, or with the fault rendered for a
   * failed call (`status` is then the fault's), or 499 when the client went away before the response started.
   */
  readonly onSettled?: (ctx: RequestContext, status: number, fault: GatewayFault | null) => void;
}

/**
 * Proxies the request to `upstream` + the path after `/{context}/{version}` + the query, streaming both bodies.
 * Hop-by-hop headers are dropped, the API-key header and `apikey` query parameter are removed for APIs that
 * enable API keys, `Authorization` is removed for OAuth2 APIs when configured, `X-Forwarded-For` is appended.
 * Failures: ECONNREFUSED → 101503, headers/body/connect timeout (`endpoints.timeoutMs`) → 101504, else 101500.
 */
export function forwardRequest(
  ctx: RequestContext,
  res: ServerResponse,
  upstream: Upstream,
  opts: ForwardOptions,
): void {
  const { req, api } = ctx;
  const headers = outboundHeaders(req.headers, ctx, opts);
  const query = api.apiKeyHeader === null ? ctx.query : stripApiKeyParam(ctx.query);
  const path = `${upstream.basePath}${ctx.restPath}${query === '' ? '' : `?${query}`}` || '/';
  const method = req.method ?? 'GET';
  const hasBody =
    req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined;
  const timeout = api.api.endpoints.timeoutMs;
  // dispatch() with a plain handler: no AbortController, no stream.pipeline (whose AbortController and
  // DOMException per request cost ~15 % of the gateway's CPU), and the raw upstream headers are used as they are.
  opts.pools.get(upstream.origin).dispatch(
    {
      path: path.startsWith('/') ? path : `/${path}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: hasBody && method !== 'GET' && method !== 'HEAD' ? req : null,
      headersTimeout: timeout,
      bodyTimeout: timeout,
    },
    new ProxyHandler(ctx, res, opts),
  );
}

/** Streams one upstream response into `res`, with backpressure both ways and abort when the client goes away. */
class ProxyHandler implements Dispatcher.DispatchHandler {
  #abort: ((err?: Error) => void) | null = null;
  #resume: (() => void) | null = null;
  #started = false;
  #done = false;
  #status = 0;

  constructor(
    private readonly ctx: RequestContext,
    private readonly res: ServerResponse,
    private readonly opts: ForwardOptions,
  ) {
    res.once('close', () => {
      if (!this.#done) this.#abort?.(new Error('client closed the connection'));
    });
  }

  onConnect(abort: (err?: Error) => void): void {
    this.#abort = abort;
    if (this.res.destroyed) abort(new Error('client closed the connection'));
  }

  onHeaders(statusCode: number, raw: Buffer[], resume: () => void): boolean {
    // 1xx informational responses are not relayed; the final response follows.
    if (statusCode < 200) return true;
    const res = this.res;
    const out: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toString('latin1');
      if (HOP_BY_HOP.has(name.toLowerCase())) continue;
      out.push(name, raw[i + 1]!.toString('latin1'));
    }
    this.#started = true;
    this.#status = statusCode;
    res.writeHead(statusCode, out);
    this.#resume = resume;
    return true;
  }

  onData(chunk: Buffer): boolean {
    const res = this.res;
    if (res.write(chunk)) return true;
    res.once('drain', this.#onDrain);
    return false;
  }

  readonly #onDrain = (): void => this.#resume?.();

  onComplete(): void {
    this.#done = true;
    this.res.end();
    this.opts.onSettled?.(this.ctx, this.#status, null);
  }

  onError(err: Error): void {
    this.#done = true;
    const res = this.res;
    if (res.destroyed || this.#started) {
      if (!res.destroyed) res.destroy(err);
      // Broken after the headers: the status sent; client gone before them: 499 (nginx's "client closed").
      this.opts.onSettled?.(this.ctx, this.#started ? this.#status : 499, null);
      return;
    }
    const fault = upstreamFault(err);
    this.opts.onFault(this.ctx, res, fault, err);
    this.opts.onSettled?.(this.ctx, fault.status, fault);
  }
}

function outboundHeaders(
  incoming: IncomingHttpHeaders,
  ctx: RequestContext,
  opts: ForwardOptions,
): Record<string, string | string[]> {
  const api = ctx.api;
  const out: Record<string, string | string[]> = {};
  const connectionTokens = incoming.connection;
  const apiKeyHeader = api.apiKeyHeader;
  const dropAuth = opts.removeAuthorization && api.usesOAuth2;
  for (const name in incoming) {
    const value = incoming[name];
    if (value === undefined || HOP_BY_HOP.has(name)) continue;
    // The test console's key never reaches the backend (WSO2 removes `Internal-Key` too).
    if (name === apiKeyHeader || name === opts.backendJwtHeader || name === INTERNAL_KEY_HEADER) continue;
    if (dropAuth && name === 'authorization') continue;
    if (name === 'x-forwarded-for') continue;
    out[name] = value;
  }
  if (connectionTokens !== undefined && connectionTokens !== 'keep-alive' && connectionTokens !== 'close') {
    for (const token of connectionTokens.split(',')) delete out[token.trim().toLowerCase()];
  }
  const peer = normalizeSocketAddress(ctx.req.socket.remoteAddress);
  const xff = incoming['x-forwarded-for'];
  out['x-forwarded-for'] = xff === undefined || xff === '' ? peer : `${xff}, ${peer}`;
  if (ctx.backendJwt !== null && opts.backendJwtHeader !== null) out[opts.backendJwtHeader] = ctx.backendJwt;
  // With tracing on, the upstream's parent is the gateway's span (an invalid incoming one is not passed on).
  if (ctx.trace !== null) out.traceparent = ctx.trace.traceparent;
  return out;
}

function upstreamFault(err: Error): GatewayFault {
  const code = (err as { code?: string }).code;
  switch (code) {
    case 'ECONNREFUSED':
      return gatewayFaults.backendUnreachable();
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return gatewayFaults.backendTimeout();
    default:
      return gatewayFaults.backendError();
  }
}
