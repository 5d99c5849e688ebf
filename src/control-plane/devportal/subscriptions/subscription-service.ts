import { newUuid, RestError } from '../../../core/index.js';
import {
  applicationsRepository,
  apisRepository,
  isUniqueViolation,
  subscriptionsRepository,
  throttlingPoliciesRepository,
  type ApplicationRow,
  type SubscriptionRow,
  type Queryable,
} from '../../../store/index.js';
import type { Caller } from '../../auth/authenticate.js';
import type { AuditActor, AuditEventInput } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { rowToDto } from '../../publisher/index.js';
import { devportalApiInfo, visibleApiOr404 } from '../apis/index.js';
import { tierPermits } from '../throttling-policies/index.js';

type AppRow = ApplicationRow;

/** A validated subscription request. */
export interface SubscriptionRequest {
  applicationId: string;
  apiId: string;
  throttlingPolicy: string;
}

/** @throws RestError VALIDATION_FAILED */
export function parseSubscriptionRequest(body: unknown, at = 'body'): SubscriptionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw new RestError('VALIDATION_FAILED', `${at} must be a Subscription object`);
  const b = body as Record<string, unknown>;
  const problems = (['applicationId', 'apiId', 'throttlingPolicy'] as const)
    .filter((k) => typeof b[k] !== 'string' || (b[k] as string).length === 0 || (b[k] as string).length > 200)
    .map((k) => ({ code: 'VALIDATION_FAILED', message: `${at}.${k} is required (a string)` }));
  if (problems.length)
    throw new RestError('VALIDATION_FAILED', problems.map((p) => p.message).join('; '), problems);
  return {
    applicationId: b.applicationId as string,
    apiId: b.apiId as string,
    throttlingPolicy: b.throttlingPolicy as string,
  };
}

/**
 * The caller's own application by UUID (read-only query of the applications table).
 * @throws RestError APPLICATION_NOT_FOUND (missing or owned by someone else — indistinguishable on purpose).
 */
export async function ownApplicationOr404(db: Queryable, uuid: string, caller: Caller): Promise<AppRow> {
  const app = await applicationsRepository(db).findOwned(uuid, caller.username);
  if (!app) throw new RestError('APPLICATION_NOT_FOUND', `Application ${uuid} not found`);
  return app;
}

/**
 * Subscribes one of the caller's applications to an API under a policy the API offers. Runs inside `db` (a
 * transaction for multiple subscriptions).
 * @throws RestError APPLICATION_NOT_FOUND, API_NOT_FOUND (missing, unpublished or invisible), VALIDATION_FAILED
 * (deprecated API, policy not offered, application not approved), TIER_NOT_PERMITTED (the tier's permissions
 * exclude the caller), SUBSCRIPTION_EXISTS.
 */
export async function subscribe(
  db: Queryable,
  caller: Caller,
  req: SubscriptionRequest,
  now: number,
): Promise<SubscriptionRow> {
  const app = await ownApplicationOr404(db, req.applicationId, caller);
  const api = await visibleApiOr404(db, req.apiId, caller);
  if (api.lifeCycleStatus !== 'PUBLISHED')
    throw new RestError(
      'VALIDATION_FAILED',
      `API ${api.name} ${api.version} is ${api.lifeCycleStatus}; new subscriptions are not allowed`,
    );
  if (app.status !== 'APPROVED')
    throw new RestError(
      'VALIDATION_FAILED',
      `Application ${app.name} is ${app.status}; it cannot subscribe yet`,
    );
  await checkPolicy(db, api.policies, req.throttlingPolicy, caller);
  const repo = subscriptionsRepository(db);
  if (await repo.findByApplicationAndApi(app.id, api.id))
    throw new RestError(
      'SUBSCRIPTION_EXISTS',
      `Application ${app.name} is already subscribed to ${api.name} ${api.version}`,
    );
  const row: SubscriptionRow = {
    uuid: newUuid(),
    application_id: app.id,
    api_id: api.id,
    policy: req.throttlingPolicy,
    requested_policy: req.throttlingPolicy,
    status: 'UNBLOCKED',
    created_at: now,
    updated_at: now,
  };
  try {
    await repo.insert(row);
  } catch (err) {
    // Two concurrent requests: the unique (application, API) constraint decides.
    if (isUniqueViolation(err))
      throw new RestError(
        'SUBSCRIPTION_EXISTS',
        `Application ${app.name} is already subscribed to ${api.name} ${api.version}`,
      );
    throw err;
  }
  return row;
}

/**
 * Checks that the API offers `policy`, that it exists and that its permissions admit the caller.
 * @throws RestError VALIDATION_FAILED (not offered, no longer exists), TIER_NOT_PERMITTED.
 */
export async function checkPolicy(
  db: Queryable,
  offered: readonly string[],
  policy: string,
  caller: Caller,
): Promise<void> {
  const row = offered.includes(policy)
    ? await throttlingPoliciesRepository(db).findByName('subscription', policy)
    : undefined;
  // The offered list names only the tiers this caller may use, so a restricted tier is not disclosed here.
  if (!offered.includes(policy) || (row && !tierPermits(row, caller)))
    throw new RestError(
      offered.includes(policy) ? 'TIER_NOT_PERMITTED' : 'VALIDATION_FAILED',
      `Throttling policy ${policy} is not offered by this API to you; offered: ${await permittedNames(db, offered, caller)}`,
    );
  if (!row) throw new RestError('VALIDATION_FAILED', `Subscription policy ${policy} does not exist`);
}

async function permittedNames(db: Queryable, offered: readonly string[], caller: Caller) {
  const rows = await throttlingPoliciesRepository(db).findByNames('subscription', offered);
  const hidden = new Set(rows.filter((r) => !tierPermits(r, caller)).map((r) => r.name));
  return offered.filter((n) => !hidden.has(n)).join(', ');
}

/**
 * A subscription of one of the caller's applications.
 * @throws RestError SUBSCRIPTION_NOT_FOUND (missing or another user's).
 */
export async function ownSubscriptionOr404(db: Queryable, uuid: string, caller: Caller) {
  const sub = await subscriptionsRepository(db).findByUuid(uuid);
  const app = sub
    ? await applicationsRepository(db).findOwnedById(sub.application_id, caller.username)
    : undefined;
  if (!sub || !app) throw new RestError('SUBSCRIPTION_NOT_FOUND', `Subscription ${uuid} not found`);
  return { sub, app };
}

/** Developer Portal `Subscription` resources for rows of the caller's applications. */
export async function toSubscriptionDtos(ctx: ControlPlaneContext, rows: readonly SubscriptionRow[]) {
  const db = ctx.store;
  const appIds = [...new Set(rows.map((r) => r.application_id))];
  const apps = await applicationsRepository(db).listByIds(appIds);
  const counts = await subscriptionsRepository(db).countsByApplication(appIds);
  const apis = new Map<string, ReturnType<typeof devportalApiInfo> | null>();
  for (const apiId of new Set(rows.map((r) => r.api_id))) {
    // A subscriber sees his subscription's API even after it was blocked or deprecated.
    const row = await apisRepository(db).findById(apiId);
    apis.set(apiId, row ? devportalApiInfo(rowToDto(row)) : null);
  }
  return rows.map((r) => {
    const app = apps.find((a) => a.id === r.application_id);
    return {
      subscriptionId: r.uuid,
      applicationId: app?.uuid ?? '',
      apiId: r.api_id,
      apiInfo: apis.get(r.api_id) ?? { id: r.api_id },
      applicationInfo: app
        ? {
            applicationId: app.uuid,
            name: app.name,
            throttlingPolicy: app.throttling_policy,
            description: app.description,
            status: app.status,
            groups: [],
            subscriptionCount: counts.get(app.id) ?? 0,
            attributes: JSON.parse(app.attributes) as Record<string, string>,
            owner: app.owner,
            tokenType: app.token_type,
          }
        : null,
      throttlingPolicy: r.policy,
      requestedThrottlingPolicy: r.requested_policy ?? r.policy,
      status: r.status,
      redirectionParams: null,
    };
  });
}

/** The audit event of a subscription change (the API and tier in details). */
export function subscriptionEvent(
  action: 'subscription.created' | 'subscription.updated' | 'subscription.removed',
  actor: AuditActor,
  row: SubscriptionRow,
): AuditEventInput {
  return {
    action,
    actor,
    target: { type: 'subscription', id: row.uuid },
    details: { apiId: row.api_id, applicationId: row.application_id, tier: row.policy, status: row.status },
  };
}
