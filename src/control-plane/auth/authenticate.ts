import type { FastifyReply, FastifyRequest } from 'fastify';
import { RestError } from '../../core/index.js';
import type { SystemScopes } from '../scopes/system-scopes.js';
import type { UserService } from '../users/user-service.js';
import { decodeBasicCredentials } from './basic-credentials.js';
import { signInOverHttp } from './sign-in-over-http.js';

/** Who is calling a REST API, and with which `apim:*` scopes. */
export interface Caller {
  username: string;
  roles: string[];
  scopes: string[];
  via: 'basic' | 'bearer' | 'session';
  /** OAuth client the bearer token was issued to. */
  clientId?: string;
}

/** Verifies bearer access tokens issued by the resident key manager (injected by the key manager). */
export interface AccessTokenVerifier {
  verify(token: string): Promise<{ subject: string; scopes: string[]; clientId: string } | null>;
}

/** Resolves a browser session cookie to a user (injected by the web session module). */
export interface SessionResolver {
  resolve(request: FastifyRequest): Promise<{ username: string } | null>;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | null;
  }
  interface FastifyContextConfig {
    /** REST scopes of the route (WSO2 semantics: one of them is enough). Absent = public route. */
    scopes?: readonly string[];
    /**
     * On a public route (no `scopes`): identify the caller when credentials or a session come with the request
     * (`request.caller`, null when anonymous), e.g. to offer only the tiers a user may use. Bad credentials → 401.
     */
    identifyCaller?: boolean;
  }
}

export interface AuthDeps {
  users: UserService;
  tokens: () => AccessTokenVerifier | null;
  sessions: () => SessionResolver | null;
  /** Which `apim:*` scopes roles hold (the Admin system-scope table and role aliases). */
  scopes: SystemScopes;
}

/**
 * Resolves the caller from Basic auth, a bearer token or a session cookie.
 * Basic credentials are decoded strictly (one spelling per credential) and refused over plain HTTP from
 * another machine.
 * @throws RestError UNAUTHENTICATED (bad or malformed credentials), TOO_MANY_ATTEMPTS (slowed down) or
 * INSECURE_TRANSPORT (a password over plain HTTP from another machine).
 */
export async function resolveCaller(request: FastifyRequest, deps: AuthDeps): Promise<Caller | null> {
  const header = request.headers.authorization;
  if (header) {
    const space = header.indexOf(' ');
    const scheme = header.slice(0, space).toLowerCase();
    const value = header.slice(space + 1).trim();
    if (scheme === 'basic') {
      const credentials = decodeBasicCredentials(value);
      if (!credentials) throw new RestError('UNAUTHENTICATED', 'Malformed Basic credentials');
      const user = await signInOverHttp(
        deps.users,
        request,
        credentials.username,
        credentials.password,
        'basic',
      );
      return {
        username: user.username,
        roles: user.roles,
        scopes: await deps.scopes.scopesForRoles(user.roles),
        via: 'basic',
      };
    }
    if (scheme === 'bearer') {
      const verifier = deps.tokens();
      const claims = verifier ? await verifier.verify(value) : null;
      if (!claims) throw new RestError('UNAUTHENTICATED', 'Invalid or expired access token');
      const user = await deps.users.get(claims.subject);
      if (!user) throw new RestError('UNAUTHENTICATED', 'The token subject no longer exists');
      const allowed = new Set(await deps.scopes.scopesForRoles(user.roles));
      return {
        username: user.username,
        roles: user.roles,
        scopes: claims.scopes.filter((s) => allowed.has(s)),
        via: 'bearer',
        clientId: claims.clientId,
      };
    }
    throw new RestError('UNAUTHENTICATED', 'Unsupported authorization scheme');
  }
  const sessions = deps.sessions();
  const session = sessions ? await sessions.resolve(request) : null;
  if (session) {
    const user = await deps.users.get(session.username);
    if (user)
      return {
        username: user.username,
        roles: user.roles,
        scopes: await deps.scopes.scopesForRoles(user.roles),
        via: 'session',
      };
  }
  return null;
}

/**
 * An onRequest hook enforcing `config.scopes` of each route. A public route that does not identify its caller (the
 * token endpoint, the JWKS) passes without a promise.
 */
export function authHook(deps: AuthDeps) {
  const enforce = enforceScopes(deps);
  return function authenticate(
    request: FastifyRequest,
    reply: FastifyReply,
    done: (err?: Error) => void,
  ): void {
    const { scopes: required, identifyCaller } = request.routeOptions.config;
    if (!required && !identifyCaller) return done();
    enforce(request, reply, required).then(() => done(), done);
  };
}

function enforceScopes(deps: AuthDeps) {
  return async function enforce(
    request: FastifyRequest,
    reply: FastifyReply,
    required: readonly string[] | undefined,
  ): Promise<void> {
    if (!required) {
      request.caller = await resolveCaller(request, deps);
      return;
    }
    const caller = await resolveCaller(request, deps);
    if (!caller) {
      reply.header('www-authenticate', 'Basic realm="Portico", Bearer realm="Portico"');
      throw new RestError(
        'UNAUTHENTICATED',
        'Authentication required: use HTTP Basic or an OAuth2 bearer token',
      );
    }
    if (required.length > 0 && !required.some((s) => caller.scopes.includes(s))) {
      throw new RestError(
        'INSUFFICIENT_SCOPE',
        `This operation needs one of the scopes: ${required.join(', ')}`,
      );
    }
    request.caller = caller;
  };
}

/** The caller of a route that declared scopes (always set there). */
export function callerOf(request: FastifyRequest): Caller {
  if (!request.caller) throw new RestError('UNAUTHENTICATED', 'Authentication required');
  return request.caller;
}
