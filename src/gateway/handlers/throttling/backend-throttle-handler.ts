import { gatewayFaults, type GatewayFault, type SnapshotRate } from '../../../core/index.js';
import type { Handler } from '../../pipeline/handler.js';
import type { CompiledApi } from '../../snapshot/compiled-snapshot.js';
import type { RateCounter } from './rate-counter.js';

/** Policy names of the backend limits in the throttling metrics (`level="backend"`). */
export const BACKEND_POLICY = { PRODUCTION: 'maxTps.production', SANDBOX: 'maxTps.sandbox' } as const;

/** One environment's backend limit, bound once per compiled API. */
interface BackendLimit {
  readonly key: string;
  readonly rate: SnapshotRate;
  readonly policy: string;
  /** For a limit of 0: every request is refused without counting (the endpoint takes no traffic). */
  readonly closed: GatewayFault | null;
}

/**
 * Backend throttling (Publisher `maxTps`, WSO2's hard limit): at most `count` requests per `unitMs` reach the
 * production (or, for sandbox keys, the sandbox) endpoint of the API, counted for all callers together in the
 * shared counter (ADR 0004: across gateways and workers when scaled out). Runs after every other throttling
 * step, as WSO2 checks the hard limit only for requests no policy refused, so a refused request never uses
 * backend capacity. Fault: 900801 (HTTP 503). Null when the API sets no limit.
 */
export function backendThrottleHandler(
  api: Omit<CompiledApi, 'resources'>,
  counter: RateCounter,
): Handler | null {
  const maxTps = api.api.maxTps;
  if (maxTps === undefined || maxTps === null) return null;
  const limit = (rate: SnapshotRate | null, env: 'P' | 'S', policy: string): BackendLimit | null =>
    rate === null
      ? null
      : {
          key: `T|${api.api.id}|${env}`,
          rate,
          policy,
          closed: rate.count === 0 ? gatewayFaults.apiLimitReached(rate.unitMs, policy) : null,
        };
  const production = limit(maxTps.production, 'P', BACKEND_POLICY.PRODUCTION);
  const sandbox = limit(maxTps.sandbox, 'S', BACKEND_POLICY.SANDBOX);
  if (production === null && sandbox === null) return null;
  return (ctx) => {
    const l = ctx.principal.keyType === 'SANDBOX' ? sandbox : production;
    if (l === null) return undefined;
    if (l.closed !== null) return l.closed;
    const retry = counter.hit(l.key, l.rate.count, l.rate.unitMs, ctx.now);
    return retry === 0 ? undefined : gatewayFaults.apiLimitReached(retry, l.policy);
  };
}
