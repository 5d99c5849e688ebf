import { AUTH_TYPE_NONE, gatewayFaults, type SnapshotResource } from '../../../core/index.js';
import type { Handler } from '../../pipeline/handler.js';
import type { CompiledApi } from '../../snapshot/compiled-snapshot.js';
import { isFault, type Authenticator } from './authenticator.js';

/**
 * The composite authentication step (WSO2 `APIAuthenticationHandler`, wso2-compat.md §3.1): authenticators in
 * order (OAuth2, then API key); one that finds no credential yields to the next; when all yield → 900902; else
 * the first failure wins. Returns null for resources with auth type `None` (the principal stays anonymous).
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
  return (ctx) => {
    for (let i = 0; i < chain.length; i++) {
      const result = chain[i]!(ctx);
      if (result === null) continue;
      if (isFault(result)) return result;
      ctx.principal = result;
      return undefined;
    }
    return missing;
  };
}
