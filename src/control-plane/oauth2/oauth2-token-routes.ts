import type { FastifyInstance } from 'fastify';
import { OAuthError } from '../../key-manager/index.js';
import { signInOriginOf } from '../auth/sign-in-over-http.js';
import type { ControlPlaneContext } from '../context.js';
import { FORM_ONLY } from '../http/input-guard.js';
import { authenticateClient, clientCredentialsOf, formOf } from './client-authentication.js';
import { oauthErrorHandler } from './oauth-error-handler.js';
import { residentKeyManagerOf } from './resident-key-manager-of.js';

/**
 * The resident key manager's HTTP endpoints (wso2-compat.md §5.2, §5.6): `POST /oauth2/token` (RFC 6749),
 * `POST /oauth2/revoke` (RFC 7009, always 200 once the client authenticated), `POST /oauth2/introspect` (RFC 7662,
 * an admin user or a client), `GET /oauth2/jwks`. Errors are RFC 6749 bodies (invalid_client → 401).
 */
export function oauth2TokenRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const km = () => residentKeyManagerOf(ctx);
  const noStore = { 'cache-control': 'no-store', pragma: 'no-cache' };
  // RFC 6749 §4.1.3, RFC 7009 §2.1, RFC 7662 §2.1: form bodies only; anything else is 415 before it is parsed.
  const form = { errorHandler: oauthErrorHandler, config: { accepts: FORM_ONLY } };

  app.post('/oauth2/token', form, async (request, reply) => {
    const form = formOf(request);
    const client = await authenticateClient(km(), request, form, ctx.config.server.allow_insecure_auth);
    if (!form.grant_type) throw new OAuthError('invalid_request', 'Missing parameter: grant_type');
    const body = await km().token({
      grantType: form.grant_type,
      client,
      origin: signInOriginOf(request),
      scope: form.scope,
      username: form.username,
      password: form.password,
      refreshToken: form.refresh_token,
    });
    return reply.headers(noStore).send(body);
  });

  app.post('/oauth2/revoke', form, async (request, reply) => {
    const form = formOf(request);
    const client = await authenticateClient(km(), request, form, ctx.config.server.allow_insecure_auth);
    if (!form.token) throw new OAuthError('invalid_request', 'Missing parameter: token');
    const result = await km().revoke(client, form.token, form.token_type_hint);
    if (result.revoked) {
      request.log.info({ clientId: client.clientId, type: result.revoked }, 'token revoked');
      // The revoking client is the actor; a refresh token has no id of its own, so its client is the target.
      await ctx.audit.record({
        action: 'token.revoked',
        actor: { name: client.clientId, clientIp: request.ip },
        target:
          result.revoked === 'access_token'
            ? { type: 'access-token', id: result.jti }
            : { type: 'refresh-token', id: client.clientId },
        details: { kind: result.revoked },
      });
    }
    return reply.headers(noStore).status(200).send();
  });

  app.post('/oauth2/introspect', form, async (request, reply) => {
    const form = formOf(request);
    const caller = await introspectionCaller(ctx, request, form);
    if (!form.token) throw new OAuthError('invalid_request', 'Missing parameter: token');
    return reply.headers(noStore).send(await km().introspect(form.token, caller));
  });

  app.get('/oauth2/jwks', async (_request, reply) =>
    reply.header('cache-control', 'public, max-age=300').send(km().jwks()),
  );
}

/** Introspection callers: a client (its own tokens) or a user with the admin role (any token). */
async function introspectionCaller(
  ctx: ControlPlaneContext,
  request: Parameters<typeof formOf>[0],
  form: ReturnType<typeof formOf>,
) {
  const creds = clientCredentialsOf(request, form, ctx.config.server.allow_insecure_auth);
  if (!creds) throw new OAuthError('invalid_client', 'Authentication is required');
  const client = await residentKeyManagerOf(ctx).authenticateClient(creds.clientId, creds.secret);
  if (client) return { kind: 'client' as const, clientId: client.clientId };
  const user = await ctx.users.signIn(creds.clientId, creds.secret, signInOriginOf(request, 'introspection'));
  if (user.ok && user.user.roles.includes('admin')) return { kind: 'admin' as const };
  throw new OAuthError('invalid_client', 'Authentication failed or not allowed to introspect');
}
