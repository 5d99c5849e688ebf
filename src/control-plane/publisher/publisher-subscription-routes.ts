import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changeKeys, RestError } from '../../core/index.js';
import {
  apisRepository,
  applicationsRepository,
  subscriptionsRepository,
  type SubscriptionRow,
} from '../../store/index.js';
import { auditActorOf, type AuditActor } from '../audit/index.js';
import { callerOf } from '../auth/authenticate.js';
import { publisherMayAccess, type AccessCaller } from './api-access-control.js';
import type { ControlPlaneContext } from '../context.js';
import { BASE } from './api-routes.js';
import { accessibleApiOr404, rowToDto } from './api-service.js';
import { page, parsePaging } from '../http/paging.js';
import { BlockQuery, listQuery } from './publisher-schemas.js';

const BLOCK_STATES = ['BLOCKED', 'PROD_ONLY_BLOCKED'];

/** Publisher view of subscriptions: list per API, block and unblock (WSO2 publisher v4). */
export function registerPublisherSubscriptionRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<{ Querystring: { limit?: string; offset?: string; apiId?: string } }>(
    `${BASE}/subscriptions`,
    {
      config: { scopes: ['apim:subscription_view', 'apim:api_view'] },
      schema: { querystring: listQuery({ apiId: { type: 'string', maxLength: 255 } }) },
    },
    async (req) => {
      const paging = parsePaging(req.query);
      const repo = subscriptionsRepository(ctx.store);
      const { apiId } = req.query;
      const caller = callerOf(req);
      if (apiId) await accessibleApiOr404(ctx.store, apiId, caller);
      const rows = apiId ? await repo.listByApi(apiId) : await visibleRows(ctx, await repo.listAll(), caller);
      const list = await toPublisherDtos(ctx, rows);
      return page(list, paging, `${BASE}/subscriptions`, apiId ? `&apiId=${encodeURIComponent(apiId)}` : '');
    },
  );

  app.post<{ Querystring: { subscriptionId?: string; blockState?: string } }>(
    `${BASE}/subscriptions/block-subscription`,
    { config: { scopes: ['apim:subscription_block'], body: 'none' }, schema: { querystring: BlockQuery } },
    async (req, reply) => {
      const { subscriptionId, blockState } = req.query;
      if (!blockState || !BLOCK_STATES.includes(blockState))
        throw new RestError('VALIDATION_FAILED', `blockState must be one of ${BLOCK_STATES.join(', ')}`);
      await setStatus(ctx, subscriptionId, blockState, req);
      return reply.status(200).send();
    },
  );

  app.post<{ Querystring: { subscriptionId?: string } }>(
    `${BASE}/subscriptions/unblock-subscription`,
    { config: { scopes: ['apim:subscription_block'], body: 'none' }, schema: { querystring: BlockQuery } },
    async (req, reply) => {
      await setStatus(ctx, req.query.subscriptionId, 'UNBLOCKED', req);
      return reply.status(200).send();
    },
  );
}

/** Subscriptions to APIs the caller may see in the Publisher (RESTRICTED ones left out). */
async function visibleRows(ctx: ControlPlaneContext, rows: SubscriptionRow[], caller: AccessCaller) {
  const apis = await apisRepository(ctx.store).list();
  const allowed = new Set(
    apis
      .map(rowToDto)
      .filter((a) => publisherMayAccess(a, caller))
      .map((a) => a.id),
  );
  return rows.filter((r) => allowed.has(r.api_id));
}

/** @throws RestError VALIDATION_FAILED (no id), SUBSCRIPTION_NOT_FOUND, API_ACCESS_RESTRICTED */
async function setStatus(
  ctx: ControlPlaneContext,
  uuid: string | undefined,
  status: string,
  req: FastifyRequest,
) {
  if (!uuid) throw new RestError('VALIDATION_FAILED', 'Query parameter subscriptionId is required');
  const actor: AuditActor = auditActorOf(req);
  const repo = subscriptionsRepository(ctx.store);
  const sub = await repo.findByUuid(uuid);
  if (!sub) throw new RestError('SUBSCRIPTION_NOT_FOUND', `Subscription ${uuid} not found`);
  await accessibleApiOr404(ctx.store, sub.api_id, callerOf(req));
  await ctx.changes.write(async (trx, record) => {
    await subscriptionsRepository(trx).update(uuid, { status, updated_at: ctx.clock.now() });
    record(changeKeys.subscription(uuid, sub.api_id, sub.application_id));
    await ctx.audit.record(
      {
        action: status === 'UNBLOCKED' ? 'subscription.unblocked' : 'subscription.blocked',
        actor,
        target: { type: 'subscription', id: uuid },
        details: { apiId: sub.api_id, applicationId: sub.application_id, from: sub.status, to: status },
      },
      trx,
    );
  });
}

/** WSO2 publisher `Subscription`: `{subscriptionId, applicationInfo, throttlingPolicy, requestedThrottlingPolicy, subscriptionStatus}`. */
async function toPublisherDtos(ctx: ControlPlaneContext, rows: SubscriptionRow[]) {
  const appIds = [...new Set(rows.map((r) => r.application_id))];
  const apps = await applicationsRepository(ctx.store).listByIds(appIds);
  const byId = new Map(apps.map((a) => [a.id, a]));
  const counts = await subscriptionsRepository(ctx.store).countsByApplication(appIds);
  return rows.map((r) => {
    const a = byId.get(r.application_id);
    return {
      subscriptionId: r.uuid,
      applicationInfo: {
        applicationId: a?.uuid ?? '',
        name: a?.name ?? '',
        subscriber: a?.owner ?? '',
        description: a?.description ?? '',
        subscriptionCount: counts.get(r.application_id) ?? 0,
      },
      apiId: r.api_id,
      throttlingPolicy: r.policy,
      requestedThrottlingPolicy: r.requested_policy ?? r.policy,
      subscriptionStatus: r.status,
    };
  });
}
