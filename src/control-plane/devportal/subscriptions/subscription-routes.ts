import type { FastifyInstance } from 'fastify';
import { changeKeys, RestError } from '../../../core/index.js';
import {
  applicationsRepository,
  subscriptionsRepository,
  type RecordChange,
  type SubscriptionRow,
} from '../../../store/index.js';
import { auditActorOf } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { page, parsePaging } from '../../http/paging.js';
import { findApiOr404, rowToDto } from '../../publisher/index.js';
import {
  checkPolicy,
  ownApplicationOr404,
  ownSubscriptionOr404,
  parseSubscriptionRequest,
  subscribe,
  subscriptionEvent,
  toSubscriptionDtos,
} from './subscription-service.js';
import { SubscriptionBody, SubscriptionListQuery, SubscriptionsBody } from './subscription-schemas.js';

const BASE = '/api/am/devportal/v3';
const SCOPES = ['apim:subscribe', 'apim:sub_manage'];
type SubParams = { Params: { subscriptionId: string } };

/**
 * Developer Portal v3 subscriptions of the caller's own applications: list, subscribe (one or many), get, change
 * tier, unsubscribe. Each write records its change in the change log, in the same transaction.
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED, 404 APPLICATION_NOT_FOUND / API_NOT_FOUND /
 * SUBSCRIPTION_NOT_FOUND (also for other users' resources), 409 SUBSCRIPTION_EXISTS.
 */
export function devportalSubscriptionRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const db = ctx.store;
  /** Records a subscription's change with the write (gateways follow the change log). */
  const recorded = (record: RecordChange, row: SubscriptionRow): SubscriptionRow => {
    record(changeKeys.subscription(row.uuid, row.api_id, row.application_id));
    return row;
  };

  app.get<{ Querystring: { applicationId?: string; apiId?: string; limit?: string; offset?: string } }>(
    `${BASE}/subscriptions`,
    { config: { scopes: SCOPES }, schema: { querystring: SubscriptionListQuery } },
    async (req) => {
      const caller = callerOf(req);
      const paging = parsePaging(req.query);
      const { applicationId, apiId } = req.query;
      if (!applicationId && !apiId)
        throw new RestError(
          'VALIDATION_FAILED',
          'One of the query parameters applicationId or apiId is required',
        );
      let rows: SubscriptionRow[];
      if (applicationId) {
        const own = await ownApplicationOr404(db, applicationId, caller);
        rows = await subscriptionsRepository(db).listByApplication(own.id);
        if (apiId) rows = rows.filter((r) => r.api_id === apiId);
      } else {
        const mine = await applicationsRepository(db).idsByOwner(caller.username);
        rows = (await subscriptionsRepository(db).listByApplications(mine)).filter((r) => r.api_id === apiId);
      }
      const extra = [
        applicationId ? `&applicationId=${encodeURIComponent(applicationId)}` : '',
        apiId ? `&apiId=${encodeURIComponent(apiId)}` : '',
      ].join('');
      return page(await toSubscriptionDtos(ctx, rows), paging, `${BASE}/subscriptions`, extra);
    },
  );

  const one = { config: { scopes: SCOPES }, schema: { body: SubscriptionBody } };
  app.post(`${BASE}/subscriptions`, one, async (req, reply) => {
    const caller = callerOf(req);
    const request = parseSubscriptionRequest(req.body);
    const row = await ctx.changes.write(async (trx, record) => {
      const created = recorded(record, await subscribe(trx, caller, request, ctx.clock.now()));
      await ctx.audit.record(subscriptionEvent('subscription.created', auditActorOf(req), created), trx);
      return created;
    });
    const [dto] = await toSubscriptionDtos(ctx, [row]);
    return reply.status(201).header('location', `${BASE}/subscriptions/${row.uuid}`).send(dto);
  });

  const many = { config: { scopes: SCOPES }, schema: { body: SubscriptionsBody } };
  app.post(`${BASE}/subscriptions/multiple`, many, async (req) => {
    const caller = callerOf(req);
    if (!Array.isArray(req.body) || req.body.length === 0 || req.body.length > 100)
      throw new RestError('VALIDATION_FAILED', 'The body must be an array of 1 to 100 Subscription objects');
    const requests = (req.body as unknown[]).map((b, i) => parseSubscriptionRequest(b, `[${i}]`));
    // All or nothing: one bad entry rolls back the others.
    const rows = await ctx.changes.write(async (trx, record) => {
      const out: SubscriptionRow[] = [];
      for (const r of requests) out.push(recorded(record, await subscribe(trx, caller, r, ctx.clock.now())));
      for (const created of out)
        await ctx.audit.record(subscriptionEvent('subscription.created', auditActorOf(req), created), trx);
      return out;
    });
    return toSubscriptionDtos(ctx, rows);
  });

  app.get<SubParams>(`${BASE}/subscriptions/:subscriptionId`, { config: { scopes: SCOPES } }, async (req) => {
    const { sub } = await ownSubscriptionOr404(db, req.params.subscriptionId, callerOf(req));
    const [dto] = await toSubscriptionDtos(ctx, [sub]);
    return dto;
  });

  app.put<SubParams>(`${BASE}/subscriptions/:subscriptionId`, one, async (req) => {
    const caller = callerOf(req);
    const body = parseSubscriptionRequest(req.body);
    const row = await ctx.changes.write(async (trx, record) => {
      const { sub, app: own } = await ownSubscriptionOr404(trx, req.params.subscriptionId, caller);
      if (body.applicationId !== own.uuid || body.apiId !== sub.api_id)
        throw new RestError(
          'VALIDATION_FAILED',
          'Only the throttlingPolicy of a subscription can be changed',
        );
      if (sub.status === 'BLOCKED' || sub.status === 'PROD_ONLY_BLOCKED')
        throw new RestError(
          'VALIDATION_FAILED',
          'A blocked subscription cannot change its throttling policy',
        );
      const api = rowToDto(await findApiOr404(trx, sub.api_id));
      await checkPolicy(trx, api.policies, body.throttlingPolicy, caller);
      const now = ctx.clock.now();
      await subscriptionsRepository(trx).update(sub.uuid, {
        policy: body.throttlingPolicy,
        requested_policy: body.throttlingPolicy,
        updated_at: now,
      });
      const updated = recorded(record, {
        ...sub,
        policy: body.throttlingPolicy,
        requested_policy: body.throttlingPolicy,
        updated_at: now,
      });
      await ctx.audit.record(subscriptionEvent('subscription.updated', auditActorOf(req), updated), trx);
      return updated;
    });
    const [dto] = await toSubscriptionDtos(ctx, [row]);
    return dto;
  });

  app.delete<SubParams>(
    `${BASE}/subscriptions/:subscriptionId`,
    { config: { scopes: SCOPES } },
    async (req, reply) => {
      const caller = callerOf(req);
      await ctx.changes.write(async (trx, record) => {
        const { sub } = await ownSubscriptionOr404(trx, req.params.subscriptionId, caller);
        await subscriptionsRepository(trx).delete(sub.uuid);
        recorded(record, sub);
        await ctx.audit.record(subscriptionEvent('subscription.removed', auditActorOf(req), sub), trx);
      });
      return reply.status(200).send();
    },
  );
}
