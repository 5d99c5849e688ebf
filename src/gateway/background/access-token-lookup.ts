import type { Logger } from 'pino';
import type { Clock, SnapshotAccessToken } from '../../core/index.js';
import type { ControlPlaneClient } from './control-plane-client.js';

/** Asks whether an opaque access token (by HMAC) is live; null when it is not, or when the answer is refused. */
export type AccessTokenLookup = (hash: string) => Promise<SnapshotAccessToken | null>;

export interface AccessTokenLookupOptions {
  /** The actual question (the control plane's `GET /internal/data/v1/access-tokens/{hash}`). */
  fetch: AccessTokenLookup;
  clock: Clock;
  logger: Logger;
  /** Lookups started per second at most (token bucket of this size); over it a miss is simply refused. */
  maxPerSecond?: number;
  /** Lookups in flight at most. */
  maxInFlight?: number;
  /** How long a "no such live token" answer is remembered, and for how many hashes at most. */
  negativeTtlMs?: number;
  negativeMax?: number;
}

/**
 * Bounds the control-plane lookups of opaque access tokens a gateway has not (yet) received as deltas (ADR 0006):
 * one lookup per hash at a time (single-flight), at most `maxInFlight` and `maxPerSecond`, and unknown hashes
 * remembered for `negativeTtlMs` (bounded LRU), so garbage tokens cost the control plane at most `maxPerSecond`
 * requests per gateway whatever the attacker sends. A refused or failed lookup answers null (the request gets
 * 401); failures are not remembered, so a control plane back up is asked again.
 * @example const lookup = boundedAccessTokenLookup({ fetch: controlPlaneAccessTokenFetch(client), clock, logger });
 */
export function boundedAccessTokenLookup(opts: AccessTokenLookupOptions): AccessTokenLookup {
  const maxPerSecond = opts.maxPerSecond ?? 20;
  const maxInFlight = opts.maxInFlight ?? 4;
  const negativeTtlMs = opts.negativeTtlMs ?? 60_000;
  const negativeMax = opts.negativeMax ?? 10_000;
  const negative = new Map<string, number>();
  const inFlight = new Map<string, Promise<SnapshotAccessToken | null>>();
  let tokens = maxPerSecond;
  let refilledAt = opts.clock.now();
  let failing = false;

  const allowed = (now: number): boolean => {
    tokens = Math.min(maxPerSecond, tokens + ((now - refilledAt) / 1000) * maxPerSecond);
    refilledAt = now;
    if (tokens < 1 || inFlight.size >= maxInFlight) return false;
    tokens -= 1;
    return true;
  };

  return (hash) => {
    const now = opts.clock.now();
    const known = negative.get(hash);
    if (known !== undefined) {
      if (known > now) return Promise.resolve(null);
      negative.delete(hash);
    }
    const pending = inFlight.get(hash);
    if (pending !== undefined) return pending;
    if (!allowed(now)) return Promise.resolve(null);
    const asked = opts
      .fetch(hash)
      .then((token) => {
        if (failing) opts.logger.info('gateway: opaque access token lookups answered again');
        failing = false;
        if (token !== null && token.hash === hash) return token;
        if (negative.size >= negativeMax) negative.delete(negative.keys().next().value!);
        negative.set(hash, opts.clock.now() + negativeTtlMs);
        return null;
      })
      .catch((err: unknown) => {
        if (!failing) {
          opts.logger.warn(
            { err: (err as Error).message },
            'gateway: opaque access token lookup failed; tokens not yet received are refused',
          );
        }
        failing = true;
        return null;
      })
      .finally(() => inFlight.delete(hash));
    inFlight.set(hash, asked);
    return asked;
  };
}

/** The control plane's answer for one hash, through the gateway's sync client (its failover included). */
export function controlPlaneAccessTokenFetch(client: ControlPlaneClient): AccessTokenLookup {
  return async (hash) => {
    const r = await client.call<{ token: SnapshotAccessToken | null }>(
      'GET',
      `/internal/data/v1/access-tokens/${hash}`,
    );
    if (r.status !== 200) throw new Error(`access-token lookup: HTTP ${r.status}`);
    return r.body.token ?? null;
  };
}
