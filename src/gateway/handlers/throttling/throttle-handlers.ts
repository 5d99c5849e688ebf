import type { Logger } from 'pino';
import {
  AUTH_TYPE_NONE,
  NO_APPLICATION_ID,
  gatewayFaults,
  type SnapshotResource,
  type SnapshotSubscription,
  type SnapshotThrottlePolicy,
  type ThrottleLevel,
} from '../../../core/index.js';
import type { Handler } from '../../pipeline/handler.js';
import type { CompiledApi, CompiledSnapshot } from '../../snapshot/compiled-snapshot.js';
import type { RateCounter } from './rate-counter.js';

/** In-memory dependencies of the throttling handlers. */
export interface ThrottleDeps {
  readonly index: CompiledSnapshot;
  readonly counter: RateCounter;
  readonly logger: Logger;
}

const isLimited = (
  p: SnapshotThrottlePolicy | undefined,
): p is SnapshotThrottlePolicy & { requestCount: number } =>
  p !== undefined && p.name !== 'Unlimited' && p.requestCount !== null;

/**
 * Advanced (API or resource) policy, counted for all callers of the API / resource together, or per client IP
 * for anonymous (`None`) resources. An API-level policy takes precedence over resource policies (WSO2) and
 * answers 900800; a resource policy answers 900802. Null when the applicable policy is unlimited or unknown.
 */
export function advancedThrottleHandler(
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  deps: ThrottleDeps,
): Handler | null {
  const apiLevel = api.api.apiThrottlingPolicy !== null;
  const name = api.api.apiThrottlingPolicy ?? resource.throttlingPolicy;
  if (name === '' || name === 'Unlimited') return null;
  const level = apiLevel ? 'api' : 'resource';
  const base = apiLevel ? `A|${api.api.id}` : `R|${api.api.id}|${resource.verb}|${resource.target}`;
  const perIp = resource.authType === AUTH_TYPE_NONE;
  const { index, counter, logger } = deps;
  return (ctx) => {
    // Read per request: a policy change arrives as a delta without recompiling the APIs that name it.
    const policy = index.policies.get(name);
    if (!isLimited(policy)) return undefined;
    const key = perIp ? `${base}|${ctx.clientIp}` : base;
    const retry = counter.hit(key, policy.requestCount, policy.unitTimeMs, ctx.now);
    return retry === 0 ? undefined : over(policy, level, retry, ctx.now, logger);
  };
}

/**
 * Subscription policy per (application, API) → 900804, preceded by its burst control (spike arrest) per
 * (application, API) → 900807. Null for anonymous resources. Skipped per request when the principal has no
 * subscription or its policy is unlimited.
 */
export function subscriptionThrottleHandler(
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  deps: ThrottleDeps,
): Handler | null {
  if (resource.authType === AUTH_TYPE_NONE) return null;
  const { index, counter, logger } = deps;
  const apiId = api.api.id;
  // Counter keys built once per subscription object: the same string objects every request, so no
  // concatenation and V8 hashes each key only once. Weak: a replaced subscription takes its keys with it.
  const keys = new WeakMap<SnapshotSubscription, { readonly burst: string; readonly quota: string }>();
  const keysOf = (sub: SnapshotSubscription) => {
    let k = keys.get(sub);
    if (k === undefined) {
      // A made-up subscription of an API-bound key without application counts per key (its id), not per app.
      const owner = sub.applicationId === NO_APPLICATION_ID ? sub.id : String(sub.applicationId);
      k = { burst: `B|${owner}|${apiId}`, quota: `S|${owner}|${apiId}` };
      keys.set(sub, k);
    }
    return k;
  };
  return (ctx) => {
    const sub = ctx.principal.subscription;
    if (sub === null) return undefined;
    const policy = index.policies.get(sub.policy);
    if (policy === undefined || policy.name === 'Unlimited') return undefined;
    const key = keysOf(sub);
    const refused = burstControl(policy, key.burst, 'burst', ctx.now, deps);
    if (refused !== undefined) return refused;
    if (policy.requestCount === null) return undefined;
    const retry = counter.hit(key.quota, policy.requestCount, policy.unitTimeMs, ctx.now);
    return retry === 0 ? undefined : over(policy, 'subscription', retry, ctx.now, logger);
  };
}

/**
 * Application policy per (application, end user) → 900803, preceded by its burst control (`burstLimit`) per
 * (application, end user) → 900809, WSO2's application-level spike arrest keyed like its quota
 * (`{applicationId}:{user}`). Null for anonymous resources; skipped per request when the principal has no
 * application or its policy is unlimited.
 */
export function applicationThrottleHandler(resource: SnapshotResource, deps: ThrottleDeps): Handler | null {
  if (resource.authType === AUTH_TYPE_NONE) return null;
  const { index, counter, logger } = deps;
  const keys = new WeakMap<
    object,
    { readonly appId: number; readonly burst: string; readonly quota: string }
  >();
  return (ctx) => {
    const app = ctx.principal.application;
    if (app === null) return undefined;
    const policy = index.policies.get(app.throttlingPolicy);
    if (policy === undefined || policy.name === 'Unlimited') return undefined;
    // Every request with the same cached token shares its verified claims object, which maps to one subject
    // and (unless a key mapping moved) one application: build the keys once per claims object and application.
    const claims = ctx.principal.claims;
    let entry = keys.get(claims);
    if (entry === undefined || entry.appId !== app.id) {
      const owner = `${app.id}|${ctx.principal.subject}`;
      entry = { appId: app.id, burst: `AB|${owner}`, quota: `P|${owner}` };
      keys.set(claims, entry);
    }
    const refused = burstControl(policy, entry.burst, 'applicationBurst', ctx.now, deps);
    if (refused !== undefined) return refused;
    if (policy.requestCount === null) return undefined;
    const retry = counter.hit(entry.quota, policy.requestCount, policy.unitTimeMs, ctx.now);
    return retry === 0 ? undefined : over(policy, 'application', retry, ctx.now, logger);
  };
}

/**
 * Counts one request against `policy`'s burst control under `key` and returns the fault when it is over
 * (before the quota, so a request refused here does not use the quota up); undefined without a burst control.
 */
function burstControl(
  policy: SnapshotThrottlePolicy,
  key: string,
  level: 'burst' | 'applicationBurst',
  now: number,
  { counter, logger }: ThrottleDeps,
) {
  const burst = policy.burst;
  if (burst === null || burst.limit <= 0) return undefined;
  const retry = counter.hit(key, burst.limit, burst.unit === 'sec' ? 1000 : 60_000, now);
  return retry === 0 ? undefined : over(policy, level, retry, now, logger);
}

function over(
  policy: SnapshotThrottlePolicy,
  level: ThrottleLevel,
  retryAfterMs: number,
  now: number,
  logger: Logger,
) {
  if (!policy.stopOnQuotaReach) {
    // Quota reached but the policy only counts: let the request pass.
    if (logger.isLevelEnabled('debug'))
      logger.debug({ policy: policy.name, level }, 'gateway: quota exceeded');
    return undefined;
  }
  return gatewayFaults.throttled(level, retryAfterMs, now, policy.name);
}
