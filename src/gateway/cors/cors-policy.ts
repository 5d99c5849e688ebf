import type { IncomingMessage, ServerResponse } from 'node:http';

/** `[apim.cors]`: cross-origin access to APIs from browsers (WSO2's defaults). */
export interface CorsSettings {
  enabled: boolean;
  /** Allowed origins; `*` allows any. */
  allowOrigins: readonly string[];
  allowMethods: readonly string[];
  allowHeaders: readonly string[];
  allowCredentials: boolean;
}

export function defaultCorsSettings(): CorsSettings {
  return {
    enabled: true,
    allowOrigins: ['*'],
    allowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
    allowHeaders: [
      'authorization',
      'Access-Control-Allow-Origin',
      'Content-Type',
      'SOAPAction',
      'apikey',
      'Internal-Key',
    ],
    allowCredentials: false,
  };
}

/** A compiled CORS policy: decides per request, with no work at all for requests without `Origin`. */
export interface CorsPolicy {
  /** Answers a preflight (`OPTIONS` with `Access-Control-Request-Method`) and returns true, else returns false. */
  preflight(req: IncomingMessage, res: ServerResponse): boolean;
  /** Adds the response headers for an allowed cross-origin request (before the response is written). */
  decorate(req: IncomingMessage, res: ServerResponse): void;
}

/** An HTTP header list (`a, b-c`): only token characters, so an echoed `*` can never inject anything else. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:[ \t]*,[ \t]*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/** A configured origin in the form browsers send it (`https://OK.example/` → `https://ok.example`). */
function serializedOrigin(configured: string): string | null {
  if (configured === '*' || configured === 'null') return null;
  try {
    const origin = new URL(configured).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * Compiles `[apim.cors]`, or an API's own `corsConfiguration`, once (WSO2 `CORSRequestHandler`). The request's
 * `Origin` is matched exactly, as a string, against the configured origins in their serialized form: no prefix,
 * suffix, case or port folding, and `null` (sandboxed frames, `file:`) never matches a listed origin. `*` answers
 * `*`, and then without `Access-Control-Allow-Credentials` (WSO2, and the Fetch standard refuses credentials with
 * `*`): an allowed origin is echoed with credentials only when it is listed. An allowed-headers entry `*` echoes
 * the preflight's `Access-Control-Request-Headers` when it is a well-formed header list.
 */
export function compileCors(s: CorsSettings): CorsPolicy | null {
  if (!s.enabled) return null;
  const any = s.allowOrigins.includes('*');
  const origins = new Set<string>();
  for (const o of s.allowOrigins) {
    const serialized = serializedOrigin(o);
    if (serialized !== null) origins.add(serialized);
  }
  const methods = s.allowMethods.join(',');
  const echoHeaders = s.allowHeaders.includes('*');
  const headers = s.allowHeaders.filter((h) => h !== '*').join(',');
  const allowedOrigin = (origin: string): string | null => {
    if (origins.has(origin)) return origin;
    return any ? '*' : null;
  };
  return {
    preflight(req, res) {
      if (req.method !== 'OPTIONS') return false;
      const origin = req.headers.origin;
      if (!origin || !req.headers['access-control-request-method']) return false;
      const allowed = allowedOrigin(origin);
      const h: Record<string, string> = { 'content-length': '0', vary: 'Origin' };
      if (allowed) {
        h['access-control-allow-origin'] = allowed;
        h['access-control-allow-methods'] = methods;
        const requested = req.headers['access-control-request-headers'];
        const allowHeaders =
          echoHeaders && requested !== undefined && HEADER_LIST.test(requested) ? requested : headers;
        if (allowHeaders !== '') h['access-control-allow-headers'] = allowHeaders;
        h['access-control-max-age'] = '600';
        if (s.allowCredentials && allowed !== '*') h['access-control-allow-credentials'] = 'true';
      }
      res.writeHead(allowed ? 204 : 403, h);
      res.end();
      return true;
    },
    decorate(req, res) {
      const origin = req.headers.origin;
      if (!origin) return;
      const allowed = allowedOrigin(origin);
      if (!allowed) return;
      res.setHeader('access-control-allow-origin', allowed);
      res.setHeader('vary', 'Origin');
      if (s.allowCredentials && allowed !== '*') res.setHeader('access-control-allow-credentials', 'true');
    },
  };
}
