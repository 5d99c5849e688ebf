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

/** Compiles `[apim.cors]` once. */
export function compileCors(s: CorsSettings): CorsPolicy | null {
  if (!s.enabled) return null;
  const any = s.allowOrigins.includes('*');
  const origins = new Set(s.allowOrigins);
  const methods = s.allowMethods.join(',');
  const headers = s.allowHeaders.join(',');
  const allowedOrigin = (origin: string): string | null => {
    if (origins.has(origin)) return origin;
    // With credentials a wildcard may not be echoed as `*` (the Fetch standard); echo the origin instead.
    if (any) return s.allowCredentials ? origin : '*';
    return null;
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
        h['access-control-allow-headers'] = headers;
        h['access-control-max-age'] = '600';
        if (s.allowCredentials) h['access-control-allow-credentials'] = 'true';
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
      if (s.allowCredentials) res.setHeader('access-control-allow-credentials', 'true');
    },
  };
}
