import type { FastifyInstance } from 'fastify';
import { changeKeys, newUuid, RestError } from '../../core/index.js';
import {
  apisRepository,
  applicationsRepository,
  subscriptionsRepository,
  throttlingPoliciesRepository,
  type ThrottlingPolicyLevel,
  type ThrottlingPolicyRow,
  type Queryable,
} from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import {
  LEVELS,
  normalizePolicy,
  PolicyBody,
  policyDefaults,
  type PolicyDto,
  type UrlLevel,
} from './policy-dto.js';

const BASE = '/api/am/admin/v4/throttling/policies';
const READ = ['apim:admin', 'apim:tier_manage', 'apim:admin_tier_view'];
const WRITE = ['apim:admin', 'apim:tier_manage'];
type One = { Params: { policyId: string } };

/**
 * Admin v4 throttling policies: `GET/POST /throttling/policies/{subscription|application|advanced}` and
 * `GET/PUT/DELETE .../{policyId}`. Each write records its change in the change log, in the same transaction.
 * Faults: 400 VALIDATION_FAILED / UNSUPPORTED_OPERATION, 404 POLICY_NOT_FOUND, 409 CONFLICT (name taken, policy in use).
 */
export function throttlingPolicyRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  for (const [segment, level] of Object.entries(LEVELS) as [UrlLevel, ThrottlingPolicyLevel][]) {
    const url = `${BASE}/${segment}`;
    app.get(url, { config: { scopes: READ } }, async () => {
      const list = (await throttlingPoliciesRepository(ctx.store).list(level)).map(dtoOf);
      return { count: list.length, list };
    });

    const write = { config: { scopes: WRITE }, schema: { body: PolicyBody } };
    app.post(url, write, async (req, reply) => {
      const uuid = newUuid();
      const dto = normalizePolicy(level, req.body, uuid);
      await ctx.changes.write(async (trx, record) => {
        const repo = throttlingPoliciesRepository(trx);
        if (await repo.findByName(level, dto.policyName))
          throw new RestError('CONFLICT', `A ${segment} policy named ${dto.policyName} already exists`);
        const now = ctx.clock.now();
        await repo.insert({
          uuid,
          level,
          name: dto.policyName,
          definition: JSON.stringify(dto),
          created_at: now,
          updated_at: now,
        });
        record(changeKeys.policy(level, dto.policyName));
      });
      return reply.status(201).header('location', `${url}/${uuid}`).send(dto);
    });

    app.get<One>(`${url}/:policyId`, { config: { scopes: READ } }, async (req) =>
      dtoOf(await findOr404(ctx.store, level, req.params.policyId)),
    );

    app.put<One>(`${url}/:policyId`, write, async (req) => {
      const dto = await ctx.changes.write(async (trx, record) => {
        const row = await findOr404(trx, level, req.params.policyId);
        const next = normalizePolicy(level, req.body, row.uuid, dtoOf(row));
        await throttlingPoliciesRepository(trx).update(row.uuid, {
          definition: JSON.stringify(next),
          updated_at: Math.max(ctx.clock.now(), row.updated_at),
        });
        record(changeKeys.policy(level, row.name));
        return next;
      });
      return dto;
    });

    app.delete<One>(`${url}/:policyId`, { config: { scopes: WRITE } }, async (req, reply) => {
      await ctx.changes.write(async (trx, record) => {
        const row = await findOr404(trx, level, req.params.policyId);
        if (row.name === 'Unlimited')
          throw new RestError('VALIDATION_FAILED', 'The built-in Unlimited policy cannot be deleted');
        const users = await usage(trx, level, row.name);
        if (users)
          throw new RestError('CONFLICT', `Policy ${row.name} is in use by ${users}; it cannot be deleted`);
        await throttlingPoliciesRepository(trx).delete(row.uuid);
        record(changeKeys.policy(level, row.name));
      });
      return reply.status(200).send();
    });
  }
}

function dtoOf(row: ThrottlingPolicyRow): PolicyDto {
  const stored = JSON.parse(row.definition) as PolicyDto;
  const level = row.level as ThrottlingPolicyLevel;
  return { ...policyDefaults(level), ...stored, policyId: row.uuid, policyName: row.name };
}

/** @throws RestError POLICY_NOT_FOUND */
async function findOr404(db: Queryable, level: ThrottlingPolicyLevel, uuid: string) {
  const row = await throttlingPoliciesRepository(db).findByUuid(level, uuid);
  if (!row) throw new RestError('POLICY_NOT_FOUND', `Throttling policy ${uuid} not found`);
  return row;
}

/** What still uses a policy (null when nothing): APIs and revisions, subscriptions, applications. */
async function usage(db: Queryable, level: ThrottlingPolicyLevel, name: string): Promise<string | null> {
  if (level === 'application') {
    const apps = await applicationsRepository(db).countByPolicy(name);
    return apps ? `${apps} application(s)` : null;
  }
  if (level === 'subscription') {
    const subs = await subscriptionsRepository(db).countByPolicy(name);
    if (subs) return `${subs} subscription(s)`;
  }
  const defs = await apisRepository(db).allDefinitions();
  const uses = defs.filter((definition) => {
    const d = JSON.parse(definition) as {
      policies?: string[];
      apiThrottlingPolicy?: string | null;
      operations?: { throttlingPolicy?: string }[];
    };
    return level === 'subscription'
      ? (d.policies ?? []).includes(name)
      : d.apiThrottlingPolicy === name || (d.operations ?? []).some((o) => o.throttlingPolicy === name);
  });
  return uses.length ? 'APIs or API revisions' : null;
}
