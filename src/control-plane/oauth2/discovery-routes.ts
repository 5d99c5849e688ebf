import type { FastifyInstance } from 'fastify';
import type { ControlPlaneContext } from '../context.js';
import { residentKeyManagerOf } from './resident-key-manager-of.js';

/**
 * Authorization server metadata (RFC 8414) at `/.well-known/oauth-authorization-server[/oauth2/token]` and the
 * OpenID-style location under the issuer, `/oauth2/token/.well-known/openid-configuration` (where WSO2 serves it),
 * so `openid-client` discovery works. `grant_types_supported` follows `[oauth.grant_type.*] enable`.
 */
export function oauth2DiscoveryRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const metadata = () => {
    const km = residentKeyManagerOf(ctx);
    const base = ctx.urls.controlPlane;
    const auth = ['client_secret_basic', 'client_secret_post'];
    return {
      issuer: km.issuer,
      token_endpoint: `${base}/oauth2/token`,
      jwks_uri: `${base}/oauth2/jwks`,
      revocation_endpoint: `${base}/oauth2/revoke`,
      introspection_endpoint: `${base}/oauth2/introspect`,
      grant_types_supported: km.enabledGrantTypes(),
      // No authorization endpoint yet: no front-channel response types.
      response_types_supported: [],
      scopes_supported: ['default'],
      token_endpoint_auth_methods_supported: auth,
      revocation_endpoint_auth_methods_supported: auth,
      introspection_endpoint_auth_methods_supported: auth,
    };
  };
  const handler = async () => metadata();
  app.get('/oauth2/token/.well-known/openid-configuration', handler);
  app.get('/.well-known/oauth-authorization-server', handler);
  app.get('/.well-known/oauth-authorization-server/oauth2/token', handler);
}
