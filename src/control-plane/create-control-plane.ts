import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import { authHook, type AccessTokenVerifier, type SessionResolver } from './auth/authenticate.js';
import type { ControlPlaneContext } from './context.js';
import { errorHandler } from './http/error-handler.js';

/** A route module: registers its routes on the control-plane app. */
export type RouteModule = (app: FastifyInstance, ctx: ControlPlaneContext) => void | Promise<void>;

export interface ControlPlane {
  readonly app: FastifyInstance;
  setTokenVerifier(v: AccessTokenVerifier): void;
  setSessionResolver(s: SessionResolver): void;
}

/**
 * Builds the control-plane Fastify app (REST APIs, key manager endpoints, web UI) without listening.
 * The CLI attaches it to the HTTPS 9443 and HTTP 9763 listeners.
 * @example const cp = await createControlPlane(ctx, [devportalRoutes, publisherRoutes]); await cp.app.ready();
 */
export async function createControlPlane(
  ctx: ControlPlaneContext,
  modules: readonly RouteModule[],
): Promise<ControlPlane> {
  let tokens: AccessTokenVerifier | null = null;
  let sessions: SessionResolver | null = null;
  const app: FastifyInstance = Fastify({
    loggerInstance: ctx.logger.child({ component: 'control-plane' }) as FastifyBaseLogger,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(given) ? given : randomUUID();
    },
    bodyLimit: 1024 * 1024,
    // request.ip / request.protocol come from X-Forwarded-* only when the peer is a configured proxy.
    trustProxy: ctx.config.server.trusted_proxies.length ? [...ctx.config.server.trusted_proxies] : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
  });
  app.decorateRequest('caller', null);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    reply.status(404).send({
      code: 900404,
      message: 'Not Found',
      description: `No resource at ${request.method} ${request.url.split('?')[0]}`,
      moreInfo: '',
      error: [],
      errorCode: 'NOT_FOUND',
    });
  });
  app.addHook('onRequest', authHook({ users: ctx.users, tokens: () => tokens, sessions: () => sessions }));
  app.addHook('onSend', async (_req, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
  });
  app.get('/health', async () => ({ status: 'UP', version: ctx.version, component: 'control-plane' }));
  for (const m of modules) await m(app, ctx);
  return {
    app,
    setTokenVerifier: (v) => {
      tokens = v;
    },
    setSessionResolver: (s) => {
      sessions = s;
    },
  };
}
