import type { ControlPlaneMetrics } from './http/control-plane-metrics.js';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifySchema,
  type RouteOptions,
} from 'fastify';
import { randomUUID } from 'node:crypto';
import { RestError } from '../core/index.js';
import { authHook, type AccessTokenVerifier, type SessionResolver } from './auth/authenticate.js';
import type { ControlPlaneContext } from './context.js';
import { installBodyParsers } from './http/body-parsers.js';
import { errorHandler } from './http/error-handler.js';
import { installChangeVersionHeader } from './http/change-version-header.js';
import { installInputGuard } from './http/input-guard.js';
import { installMultipartForms } from './http/multipart-form.js';
import { operationScopes } from './scopes/operation-scopes.js';
import { systemScopesOf } from './scopes/system-scopes.js';

/** A route module: registers its routes on the control-plane app. */
export type RouteModule = (app: FastifyInstance, ctx: ControlPlaneContext) => void | Promise<void>;

/** A route as registered (after the input guard gave it its default query schema). */
export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  readonly schema: FastifySchema;
  readonly config: NonNullable<RouteOptions['config']>;
}

export interface ControlPlane {
  readonly app: FastifyInstance;
  /** Every route of the app (HEAD twins of GET routes excluded), in registration order. */
  readonly routes: readonly RegisteredRoute[];
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
  opts: { readonly metrics?: ControlPlaneMetrics } = {},
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
    // Nothing per request at info (docs/security.md): Fastify's own two lines per request are off; one line at
    // debug (method, route, status, time; never headers or bodies) when the level asks for it.
    logController: new LogController({ disableRequestLogging: true }),
    // request.ip / request.protocol come from X-Forwarded-* only when the peer is a configured proxy.
    trustProxy: ctx.config.server.trusted_proxies.length ? [...ctx.config.server.trusted_proxies] : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, allErrors: true } },
    // A path that does not decode as UTF-8 (`/apis/%ED%A0%80`) is a client error in the WSO2 shape too.
    frameworkErrors: (_error, _request, reply) => {
      const e = new RestError('BAD_REQUEST', 'The request URL is not valid (bad percent-encoding)');
      void (reply as FastifyReply).status(e.status).send(e.toBody());
    },
  });
  app.decorateRequest('caller', null);
  if (ctx.logger.isLevelEnabled('debug'))
    app.addHook('onResponse', (request, reply, done) => {
      request.log.debug(
        {
          method: request.method,
          url: request.routeOptions.url,
          statusCode: reply.statusCode,
          ms: reply.elapsedTime,
        },
        'request completed',
      );
      done();
    });
  const routes: RegisteredRoute[] = [];
  opts.metrics?.install(app);
  installBodyParsers(app);
  // Before the input guard: the form it reads becomes the body the guard checks.
  await installMultipartForms(app, { maxBytes: ctx.config.apim.publisher.max_definition_size });
  installInputGuard(app);
  installChangeVersionHeader(app, ctx.changes);
  app.addHook('onRoute', (r) => {
    // WSO2's per-operation scopes (its OpenAPI `security`) decide who may call an operation Portico serves.
    const scopes = operationScopes([r.method].flat()[0] ?? '', r.url, r.config?.scopes);
    if (scopes !== r.config?.scopes) r.config = { ...r.config, scopes };
    for (const method of [r.method].flat())
      if (method !== 'HEAD' || !routes.some((x) => x.url === r.url && x.method === 'GET'))
        routes.push({ method, url: r.url, schema: r.schema ?? {}, config: r.config ?? {} });
  });
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler((request, reply) => {
    const e = new RestError('NOT_FOUND', `No resource at ${request.method} ${request.url.split('?')[0]}`);
    void reply.status(e.status).send(e.toBody());
  });
  app.addHook(
    'onRequest',
    authHook({
      users: ctx.users,
      tokens: () => tokens,
      sessions: () => sessions,
      scopes: systemScopesOf(ctx),
    }),
  );
  // Callback hooks (here and in the other per-request hooks): no promise and microtask per request.
  app.addHook('onSend', (_req, reply, _payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', reply.getHeader('cache-control') ?? 'no-store');
    done();
  });
  // Liveness (/health, always 200) and readiness (/health/ready, 503 while the database does not answer).
  const probe = () => databaseStatus(ctx.store);
  app.get('/health', async () => ({
    status: 'UP',
    version: ctx.version,
    component: 'control-plane',
    database: await probe(),
    // Configuration problems that do not stop the process (the API-key signing alias not trusted, ...).
    warnings: ctx.trust.warnings(),
  }));
  app.get('/health/ready', async (_req, reply) => {
    const database = await probe();
    return reply
      .status(database === 'UP' ? 200 : 503)
      .send({ status: database === 'UP' ? 'READY' : 'NOT_READY', component: 'control-plane', database });
  });
  for (const m of modules) await m(app, ctx);
  return {
    app,
    routes,
    setTokenVerifier: (v) => {
      tokens = v;
    },
    setSessionResolver: (s) => {
      sessions = s;
    },
  };
}

/** `UP` when the database answers within 2 s, else `DOWN`. */
async function databaseStatus(store: { ping(): Promise<void> }): Promise<'UP' | 'DOWN'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'DOWN'>((r) => (timer = setTimeout(() => r('DOWN'), 2_000)));
  try {
    return await Promise.race([
      store.ping().then(
        () => 'UP' as const,
        () => 'DOWN' as const,
      ),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
