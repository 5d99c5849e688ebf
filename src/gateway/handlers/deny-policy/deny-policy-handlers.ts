import { gatewayFaults, type GatewayFault } from '../../../core/index.js';
import type { Handler, RequestContext } from '../../pipeline/handler.js';
import type { CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';

const BLOCKED: GatewayFault = Object.freeze(gatewayFaults.messageBlocked());

/**
 * Admin deny policies on what is known before authentication: the API (`/context/version`) and the client IP
 * the gateway resolved (trusted proxies applied). Reads the live index per request, so a policy added, lifted or
 * disabled takes effect with its delta, without recompiling the API. Fault: 403 900805.
 */
export function denyByRequestHandler(
  api: { readonly contextVersion: string },
  index: CompiledSnapshot,
): Handler {
  const contextVersion = api.contextVersion;
  return (ctx: RequestContext) => {
    const blocking = index.blocking;
    if (blocking.size === 0) return undefined;
    if (blocking.blocksApi(contextVersion) || blocking.blocksIp(ctx.clientIp)) return BLOCKED;
    return undefined;
  };
}

/**
 * Admin deny policies on the authenticated caller: the application (`owner:name`) and the end user (the token's
 * or API key's subject). Runs after authentication; anonymous callers have neither. Fault: 403 900805.
 */
export function denyByPrincipalHandler(index: CompiledSnapshot): Handler {
  return (ctx: RequestContext) => {
    const blocking = index.blocking;
    if (blocking.size === 0) return undefined;
    const { application, subject } = ctx.principal;
    if (application !== null && blocking.blocksApplication(application.owner, application.name))
      return BLOCKED;
    if (subject !== '' && blocking.blocksUser(subject)) return BLOCKED;
    return undefined;
  };
}
