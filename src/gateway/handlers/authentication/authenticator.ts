import type { GatewayFault } from '../../../core/index.js';
import type { RequestContext } from '../../pipeline/handler.js';
import type { Principal } from '../../pipeline/principal.js';

/**
 * One authentication scheme of the composite: returns the principal when the credential is valid, a fault when
 * it is present but not acceptable, or null when the request carries no credential of this scheme (yield).
 */
export type Authenticator = (ctx: RequestContext) => Principal | GatewayFault | null;

/** True when an authenticator's result is a fault. */
export function isFault(result: Principal | GatewayFault): result is GatewayFault {
  return (result as GatewayFault).code !== undefined;
}
