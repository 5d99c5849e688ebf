import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** `[metrics] access`: who may read `GET /metrics`. */
export type MetricsAccess = 'off' | 'loopback' | 'token';

/** How `/metrics` is protected and where its text comes from. */
export interface MetricsEndpointOptions {
  readonly access: MetricsAccess;
  /** Bearer token required when `access` is `token` (a non-empty one is enforced by the config loader). */
  readonly token: string;
  /** The exposition text (one registry, or the sum over gateway workers). */
  readonly text: () => Promise<string>;
  readonly contentType: string;
}

const NOT_FOUND =
  '{"code":"404","message":"Not Found","description":"The requested resource is not available."}';
const UNAUTHORIZED =
  '{"code":"401","message":"Unauthorized","description":"A valid metrics bearer token is required."}';

/**
 * Serves `GET /metrics` in the Prometheus text format. `off` (or a token mode without a token): 404 as for any
 * unknown path. `loopback`: only clients on 127.0.0.0/8 or ::1, others 404. `token`: `Authorization: Bearer
 * <token>` from anywhere, else 401 with a `WWW-Authenticate` challenge; compared in constant time.
 *
 * @example
 * const serve = metricsEndpoint({ access: 'loopback', token: '', text: () => reg.metrics(), contentType: reg.contentType });
 */
export function metricsEndpoint(
  opts: MetricsEndpointOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const expected = opts.token === '' ? null : digest(opts.token);
  const access = opts.access === 'token' && expected === null ? 'off' : opts.access;
  return (req, res) => {
    if (access === 'off' || (access === 'loopback' && !isLoopback(req.socket.remoteAddress)))
      return answer(res, 404, NOT_FOUND);
    if (access === 'token' && !bearerMatches(req.headers.authorization, expected!)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      return answer(res, 401, UNAUTHORIZED);
    }
    opts.text().then(
      (text) => {
        res.writeHead(200, {
          'content-type': opts.contentType,
          'content-length': Buffer.byteLength(text),
          'cache-control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : text);
      },
      () => answer(res, 503, '{"code":"503","message":"Metrics unavailable","description":"Try again."}'),
    );
  };
}

/** True for IPv4 127.0.0.0/8, IPv6 ::1 and IPv4-mapped loopback. */
export function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  const a = address.startsWith('::ffff:') ? address.slice(7) : address;
  return a === '::1' || a.startsWith('127.');
}

function bearerMatches(header: string | undefined, expected: Buffer): boolean {
  if (header === undefined || header.length < 8 || header.slice(0, 7).toLowerCase() !== 'bearer ')
    return false;
  // Equal-length digests: timingSafeEqual leaks neither the token nor its length.
  return timingSafeEqual(digest(header.slice(7).trim()), expected);
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s).digest();
}

function answer(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, {
    'content-type': 'application/json; charset=UTF-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
