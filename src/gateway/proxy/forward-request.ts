import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import type { Dispatcher } from 'undici';
import { gatewayFaults, type GatewayFault } from '../../core/index.js';
import type { RequestContext } from '../pipeline/handler.js';
import type { Upstream } from '../snapshot/compiled-snapshot.js';
import type { UpstreamPools } from './upstream-pools.js';
import { stripApiKeyParam } from '../handlers/api-key/extract-api-key.js';
import { normalizeSocketAddress } from '../net/client-ip-resolver.js';

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
  const abort = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) abort.abort();
  });
  const timeout = api.api.endpoints.timeoutMs;
  opts.pools.get(upstream.origin).request(
    {
      path: path.startsWith('/') ? path : `/${path}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body: hasBody && method !== 'GET' && method !== 'HEAD' ? req : null,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      signal: abort.signal,
    },
    (err, data) => {
      if (err !== null) {
        if (abort.signal.aborted) return;
        opts.onFault(ctx, res, upstreamFault(err), err);
        return;
      }
      const out: Record<string, string | string[]> = {};
      for (const name in data.headers) {
        const value = data.headers[name];
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      if (res.destroyed) {
        data.body.destroy();
        return;
      }
      res.writeHead(data.statusCode, out);
      pipeline(data.body, res, () => undefined);
    },
  );
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
    if (name === apiKeyHeader || name === opts.backendJwtHeader) continue;
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
