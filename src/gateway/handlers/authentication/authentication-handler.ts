import {
  AUTH_TYPE_NONE,
  gatewayFaults,
  type GatewayFault,
  type SnapshotResource,
} from '../../../core/index.js';
import type { Handler, RequestContext } from '../../pipeline/handler.js';
import type { CompiledApi } from '../../snapshot/compiled-snapshot.js';
import { isFault, type Authenticator } from './authenticator.js';

/**
 * The composite authentication step (WSO2 `APIAuthenticationHandler`, wso2-compat.md §3.1): authenticators in
 * order (OAuth2, then API key); one that finds no credential yields to the next; when all yield → 900902; else
 * the first failure wins. Returns null for resources with auth type `None` (the principal stays anonymous).
 * The 900902 says so when the request carries the kind of credential the API does not accept (an `apikey` header
 * or query parameter without API-key security, a bearer token without OAuth2).
 *
 * @example
 * const h = authenticationHandler(api, resource, [oauth2, apiKey]); // null when resource.authType === 'None'
 */
export function authenticationHandler(
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  authenticators: readonly (Authenticator | null)[],
): Handler | null {
  if (resource.authType === AUTH_TYPE_NONE) return null;
  const chain = Object.freeze(authenticators.filter((a) => a !== null));
  const missing = gatewayFaults.missingCredentials('Authorization', api.api.apiKeyHeader || 'apikey');
  const keyNotAccepted = api.apiKeyHeader === null ? gatewayFaults.apiKeyNotAccepted() : null;
  const bearerNotAccepted = api.usesOAuth2
    ? null
    : gatewayFaults.bearerNotAccepted(api.api.apiKeyHeader || 'apikey');
  const whyMissing = (ctx: RequestContext): GatewayFault => {
    if (keyNotAccepted !== null && sendsApiKey(ctx)) return keyNotAccepted;
    if (bearerNotAccepted !== null && sendsBearer(ctx)) return bearerNotAccepted;
    return missing;
  };
  return (ctx) => {
    for (let i = 0; i < chain.length; i++) {
      const result = chain[i]!(ctx);
      if (result === null) continue;
      if (isFault(result)) return result;
      ctx.principal = result;
      return undefined;
    }
    return whyMissing(ctx);
  };
}

/** An `apikey` header (WSO2's default name, any case) or `apikey` query parameter. */
function sendsApiKey(ctx: RequestContext): boolean {
  return ctx.req.headers.apikey !== undefined || /(?:^|&)apikey=/i.test(ctx.query);
}

function sendsBearer(ctx: RequestContext): boolean {
  const auth = ctx.req.headers.authorization;
  return auth !== undefined && /^bearer\s/i.test(auth);
}
