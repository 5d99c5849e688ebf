import type { FastifyInstance, FastifyReply } from 'fastify';
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ControlPlaneContext } from '../context.js';
import type { RouteModule } from '../create-control-plane.js';

/** The portals of the single-page app; each serves the same index.html (the app routes on the path). */
export const PORTALS = ['devportal', 'publisher', 'admin'] as const;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** `web/dist` of the package: the same relative depth from src/ (tsx) and dist/ (compiled). */
export const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

export interface WebRoutesOptions {
  /** Folder with the built UI (index.html, assets/); default {@link DEFAULT_WEB_DIST}. */
  distDir?: string;
}

/** The Content-Security-Policy of the UI: same origin only, plus the gateway for the try-it console. */
export function contentSecurityPolicy(ctx: ControlPlaneContext): string {
  const gateways = [ctx.urls.gatewayHttps, ctx.urls.gatewayHttp]
    .filter((u): u is string => !!u)
    .map((u) => new URL(u).origin);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${gateways.join(' ')}`.trim(),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Serves the built web UI: `/devportal`, `/publisher`, `/admin` (and any path below them: SPA fallback to
 * index.html), hashed `/assets/*` with immutable caching, and `/` → `/devportal`. Files are read per request, so a
 * rebuild needs no restart. Without a build it answers 503 with a hint to run `npm run build`.
 */
export function webRoutes(opts: WebRoutesOptions = {}): RouteModule {
  const root = resolve(opts.distDir ?? DEFAULT_WEB_DIST);
  return (app: FastifyInstance, ctx: ControlPlaneContext) => {
    const csp = contentSecurityPolicy(ctx);

    const missing = (reply: FastifyReply) =>
      reply
        .status(503)
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built: run `npm run build` (web/dist is missing).\n');

    const sendIndex = async (reply: FastifyReply) => {
      let html: Buffer;
      try {
        html = await readFile(resolve(root, 'index.html'));
      } catch {
        return missing(reply);
      }
      return reply
        .type(TYPES['.html']!)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', csp)
        .header('x-frame-options', 'DENY')
        .header('referrer-policy', 'same-origin')
        .header('cross-origin-opener-policy', 'same-origin')
        .send(html);
    };

    const sendFile = async (reply: FastifyReply, relative: string, cache: string) => {
      const file = resolve(root, relative);
      // Path traversal: the resolved file must stay inside the build folder.
      if (!file.startsWith(root + sep)) return reply.callNotFound();
      try {
        if (!(await stat(file)).isFile()) return reply.callNotFound();
      } catch {
        return reply.callNotFound();
      }
      return reply
        .type(TYPES[extname(file)] ?? 'application/octet-stream')
        .header('cache-control', cache)
        .send(await readFile(file));
    };

    app.get('/', async (_req, reply) => reply.redirect('/devportal', 302));
    for (const portal of PORTALS) {
      app.get(`/${portal}`, async (_req, reply) => sendIndex(reply));
      app.get(`/${portal}/*`, async (_req, reply) => sendIndex(reply));
    }
    app.get<{ Params: { '*': string } }>('/assets/*', async (req, reply) =>
      // Vite names them by content hash: a changed file gets a new name.
      sendFile(reply, `assets/${req.params['*']}`, 'public, max-age=31536000, immutable'),
    );
    app.get('/favicon.svg', async (_req, reply) => sendFile(reply, 'favicon.svg', 'public, max-age=86400'));
  };
}
