import { createResidentKeyManager, type ResidentKeyManager } from '../../key-manager/index.js';
import type { AccessTokenVerifier } from '../auth/authenticate.js';
import { signInOAuthError } from '../auth/sign-in-over-http.js';
import type { ControlPlaneContext } from '../context.js';
import { systemScopesOf } from '../scopes/system-scopes.js';

// One key manager per context (per process in production), shared by the oauth2 and devportal route modules and the
// REST token verifier. Keyed by the context object, so nothing outlives it and tests get one per harness.
const instances = new WeakMap<ControlPlaneContext, ResidentKeyManager>();

/**
 * The resident key manager of a control-plane context, created at first use from `ctx` (primary key, issuer,
 * users, REST scope table). Created lazily so the issuer is read when the first request arrives.
 */
export function residentKeyManagerOf(ctx: ControlPlaneContext): ResidentKeyManager {
  let km = instances.get(ctx);
  if (!km) {
    km = createResidentKeyManager({
      store: ctx.store,
      clock: ctx.clock,
      config: ctx.config,
      signingKey: ctx.primaryKey,
      issuer: ctx.urls.issuer,
      changes: ctx.changes,
      opaqueTokenSecret: ctx.apiKeyHashSecret,
      relay: () => ctx.feed.pump(),
      logger: ctx.logger.child({ component: 'key-manager' }),
      async verifyUser(username, password, origin) {
        // No origin = a caller that forgot it: fail closed (not loopback, not TLS).
        const r = await ctx.users.signIn(username, password, {
          ...(origin ?? { ip: 'unknown', tls: false }),
          channel: 'password-grant',
        });
        if (!r.ok && r.reason !== 'invalid') throw signInOAuthError(r);
        return r.ok ? { username: r.user.username, roles: [...r.user.roles] } : null;
      },
      async userRoles(username) {
        const u = await ctx.users.get(username);
        return u ? [...u.roles] : null;
      },
      scopeAllowed: (scope, roles) => systemScopesOf(ctx).allows(scope, roles),
    });
    instances.set(ctx, km);
  }
  return km;
}

/**
 * The bearer-token verifier for `cp.setTokenVerifier()`: Portico's REST APIs then accept resident key manager
 * access tokens (their `apim:*` scopes are intersected with the user's roles by the auth hook).
 * @example cp.setTokenVerifier(accessTokenVerifier(ctx));
 */
export function accessTokenVerifier(ctx: ControlPlaneContext): AccessTokenVerifier {
  return { verify: (token) => residentKeyManagerOf(ctx).verifyAccessToken(token) };
}
