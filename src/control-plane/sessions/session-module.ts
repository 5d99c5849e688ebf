import type { FastifyInstance, FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';
import type { SessionResolver } from '../auth/authenticate.js';
import { signInOverHttp } from '../auth/sign-in-over-http.js';
import type { ControlPlaneContext } from '../context.js';
import type { RouteModule } from '../create-control-plane.js';
import { systemScopesOf } from '../scopes/system-scopes.js';
import { parseCookies, serializeCookie } from './cookies.js';
import {
  csrfTokenFor,
  deriveSessionKey,
  issueSessionToken,
  sameSecret,
  SESSION_TTL_MS,
  verifySessionToken,
  type SessionClaims,
} from './session-token.js';

export const SESSION_COOKIE = 'portico_session';
export const CSRF_COOKIE = 'portico_csrf';
export const CSRF_HEADER = 'x-csrf-token';
const AUTH_BASE = '/api/am/auth';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Browser sessions: the login/logout/session routes and the resolver the control plane consults. */
export interface SessionModule {
  routes: RouteModule;
  resolver: SessionResolver;
}

/**
 * Cookie sessions for the web UI. Tokens are stateless (HMAC-SHA256 with a key derived from the primary key, so
 * they survive restarts and are accepted by every control plane sharing the keystore). Logout revokes the session
 * id in this process's memory until it expires: another control plane still accepts it until then (documented
 * limitation; the cookie is cleared in the browser either way). Unsafe methods need `X-CSRF-Token` equal to the
 * `portico_csrf` cookie. With `ctx` omitted, the key is derived when `routes` is registered.
 * @throws Error (at registration) when the primary key cannot be exported.
 * @example const s = sessionModule(ctx); const cp = await createControlPlane(ctx, [s.routes]); cp.setSessionResolver(s.resolver);
 */
export function sessionModule(ctx?: ControlPlaneContext): SessionModule {
  let bound: { ctx: ControlPlaneContext; key: Buffer } | null = ctx
    ? { ctx, key: deriveSessionKey(ctx.primaryKey.privateKey) }
    : null;
  const revoked = new Map<string, number>();

  const revoke = (claims: SessionClaims, now: number) => {
    for (const [id, exp] of revoked) if (exp <= now) revoked.delete(id);
    revoked.set(claims.i, claims.e);
  };

  /** Valid, unrevoked session claims of a request (CSRF not checked). */
  const claimsOf = (request: FastifyRequest): SessionClaims | null => {
    if (!bound) return null;
    const token = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (!token) return null;
    const claims = verifySessionToken(bound.key, token, bound.ctx.clock.now());
    return claims && !revoked.has(claims.i) ? claims : null;
  };

  const csrfOk = (request: FastifyRequest, claims: SessionClaims): boolean => {
    if (!bound) return false;
    const header = request.headers[CSRF_HEADER];
    const cookie = parseCookies(request.headers.cookie).get(CSRF_COOKIE);
    if (typeof header !== 'string' || !cookie) return false;
    return sameSecret(header, cookie) && sameSecret(header, csrfTokenFor(bound.key, claims.i));
  };

  const resolver: SessionResolver = {
    async resolve(request) {
      const claims = claimsOf(request);
      if (!claims) return null;
      if (UNSAFE.has(request.method) && !csrfOk(request, claims)) return null;
      return { username: claims.u };
    },
  };

  const sessionCookie = (token: string | null, maxAgeS: number) =>
    serializeCookie(SESSION_COOKIE, token ?? '', { httpOnly: true, maxAge: token ? maxAgeS : 0 });
  const csrfCookie = (csrf: string | null, maxAgeS: number) =>
    serializeCookie(CSRF_COOKIE, csrf ?? '', { httpOnly: false, maxAge: csrf ? maxAgeS : 0 });

  const routes: RouteModule = (app: FastifyInstance, c: ControlPlaneContext) => {
    bound ??= { ctx: c, key: deriveSessionKey(c.primaryKey.privateKey) };
    const b = bound;

    // Browsers show a Basic-auth prompt on a 401 carrying this challenge; the UI marks its calls and handles 401.
    app.addHook('onSend', async (request, reply, payload) => {
      if (request.headers['x-requested-with'] === 'XMLHttpRequest') reply.removeHeader('www-authenticate');
      return payload;
    });

    app.post(`${AUTH_BASE}/login`, async (request, reply) => {
      // JSON only: a cross-site HTML form cannot send it, which blocks login CSRF.
      if (!String(request.headers['content-type'] ?? '').startsWith('application/json'))
        throw new RestError('UNSUPPORTED_MEDIA_TYPE', 'Send the credentials as application/json');
      const body = request.body as { username?: unknown; password?: unknown } | null;
      const username = body?.username;
      const password = body?.password;
      if (typeof username !== 'string' || username.length < 1 || username.length > 100)
        throw new RestError('VALIDATION_FAILED', 'username is required (1-100 characters)');
      if (typeof password !== 'string' || password.length < 1 || password.length > 256)
        throw new RestError('VALIDATION_FAILED', 'password is required (1-256 characters)');
      const user = await signInOverHttp(b.ctx.users, request, username, password, 'session');
      const { token, claims } = issueSessionToken(b.key, user.username, b.ctx.clock.now());
      const ttl = SESSION_TTL_MS / 1000;
      reply.header('set-cookie', [sessionCookie(token, ttl), csrfCookie(csrfTokenFor(b.key, claims.i), ttl)]);
      return { username: user.username, roles: user.roles };
    });

    app.post(`${AUTH_BASE}/logout`, async (request, reply) => {
      const claims = claimsOf(request);
      if (claims && csrfOk(request, claims)) revoke(claims, b.ctx.clock.now());
      reply.header('set-cookie', [sessionCookie(null, 0), csrfCookie(null, 0)]);
      return reply.status(204).send();
    });

    app.get(`${AUTH_BASE}/session`, async (request, reply) => {
      const claims = claimsOf(request);
      const user = claims ? await b.ctx.users.get(claims.u) : undefined;
      if (!claims || !user) throw new RestError('UNAUTHENTICATED', 'No valid session; sign in');
      // Re-issue the CSRF cookie in case it was dropped; the session cookie stays as it is.
      const left = Math.max(1, Math.floor((claims.e - b.ctx.clock.now()) / 1000));
      reply.header('set-cookie', [csrfCookie(csrfTokenFor(b.key, claims.i), left)]);
      return {
        username: user.username,
        roles: user.roles,
        scopes: await systemScopesOf(b.ctx).scopesForRoles(user.roles),
      };
    });
  };

  return { routes, resolver };
}

const resolvers = new WeakMap<ControlPlaneContext, SessionResolver>();

/**
 * The session routes as a plain route module (for a module list built before `ctx` exists); the resolver of each
 * control plane is then found with {@link sessionResolverFor}.
 */
export const sessionRoutes: RouteModule = (app, ctx) => {
  const s = sessionModule(ctx);
  resolvers.set(ctx, s.resolver);
  return s.routes(app, ctx);
};

/** The resolver {@link sessionRoutes} made for `ctx` (undefined before registration). */
export function sessionResolverFor(ctx: ControlPlaneContext): SessionResolver | undefined {
  return resolvers.get(ctx);
}
