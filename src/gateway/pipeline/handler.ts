import type { IncomingMessage } from 'node:http';
import type { GatewayFault } from '../../core/index.js';
import type { CompiledApi, CompiledResource } from '../snapshot/compiled-snapshot.js';
import { ANONYMOUS, type Principal } from './principal.js';

/**
 * The per-request state the compiled handlers read and fill. One instance per request; its shape never changes
 * (all fields are initialised in the constructor) so the handler loop stays monomorphic.
 */
export class RequestContext {
  /** Set by authentication; {@link ANONYMOUS} for resources with auth type `None`. */
  principal: Principal = ANONYMOUS;
  /** Signed backend JWT to send upstream, set by the backend-JWT handler. */
  backendJwt: string | null = null;

  constructor(
    readonly req: IncomingMessage,
    readonly api: CompiledApi,
    readonly resource: CompiledResource,
    /** Raw path after `/{context}/{version}` (may be empty). */
    readonly restPath: string,
    /** Raw query string without `?` (empty when none). */
    readonly query: string,
    /** Epoch ms at the start of the request. */
    readonly now: number,
    /** Client IP per the gateway's client-IP settings. */
    readonly clientIp: string,
  ) {}
}

/** One compiled step of a request: returns a fault to stop, or undefined to continue. */
export type Handler = (ctx: RequestContext) => GatewayFault | undefined;
