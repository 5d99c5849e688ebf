import type { FastifyInstance } from 'fastify';
import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import {
  applicationsRepository,
  keyMappingsRepository,
  throttlingPoliciesRepository,
  type ApplicationRow,
} from '../../../store/index.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { DEVPORTAL_BASE, pagination, paging } from '../devportal-base.js';
import { applicationKeyDto } from '../keys/application-key-dto.js';
import {
  ApplicationBody,
  ApplicationListQuery,
  applicationDto,
  applicationInfoDto,
} from './application-dto.js';
import { ensureDefaultApplication } from './ensure-default-application.js';
import { ownedApplication } from './owned-application.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };
const ID_PARAMS = {
  type: 'object',
  properties: { applicationId: { type: 'string', maxLength: 64 } },
  required: ['applicationId'],
} as const;

/**
 * Developer Portal applications (wso2-compat.md §6): list with paging/search/sort, create (201 + Location), read,
 * update, delete. Owner-scoped: another user's application is 404. Faults: VALIDATION_FAILED (schema, unknown
 * throttling policy), APPLICATION_EXISTS (409, name taken by the same owner), APPLICATION_NOT_FOUND.
 */
export function applicationsRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications`;

  app.get<{ Querystring: ApplicationListQuery }>(
    base,
    {
      config: { scopes: [...SCOPES.scopes, 'apim:app_import_export'] },
      schema: { querystring: ApplicationListQuery },
    },
    async (request) => {
      const caller = callerOf(request);
      if (caller.roles.includes('subscriber')) {
        await ensureDefaultApplication(ctx.store, ctx.changes, caller.username, ctx.clock.now());
      }
      const { limit, offset } = paging(request.query);
      const repo = applicationsRepository(ctx.store);
      const { rows, total } = await repo.list({
        owner: caller.username,
        nameContains: request.query.query,
        sortBy: request.query.sortBy ?? 'name',
        sortOrder: request.query.sortOrder?.toLowerCase() === 'desc' ? 'desc' : 'asc',
        limit,
        offset,
      });
      const counts = await repo.subscriptionCounts(rows.map((r) => r.id));
      return {
        count: rows.length,
        list: rows.map((r) => applicationInfoDto(r, counts.get(r.id) ?? 0)),
        pagination: pagination('/applications', offset, limit, total),
      };
    },
  );

  app.post<{ Body: ApplicationBody }>(
    base,
    { config: SCOPES, schema: { body: ApplicationBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = normalize(request.body);
      await checkPolicy(ctx, body.throttlingPolicy);
      const now = ctx.clock.now();
      const uuid = newUuid();
      await uniqueName(ctx, caller.username, body.name, async () => {
        await ctx.changes.write(async (trx, record) => {
          const id = await applicationsRepository(trx).insert({
            uuid,
            name: body.name,
            owner: caller.username,
            throttling_policy: body.throttlingPolicy,
            description: body.description,
            token_type: 'JWT',
            status: 'APPROVED',
            group_id: body.groups.join(','),
            attributes: JSON.stringify(body.attributes),
            created_at: now,
            updated_at: now,
          });
          record(changeKeys.application(id));
        });
      });
      const row = await ownedApplication(ctx.store, uuid, caller.username);
      return reply
        .status(201)
        .header('location', `${ctx.urls.controlPlane}${base}/${uuid}`)
        .send(applicationDto(row, 0, []));
    },
  );

  app.get<{ Params: { applicationId: string } }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS } },
    async (request) => {
      const row = await ownedApplication(ctx.store, request.params.applicationId, callerOf(request).username);
      return fullDto(ctx, row);
    },
  );

  app.put<{ Params: { applicationId: string }; Body: ApplicationBody }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS, body: ApplicationBody } },
    async (request) => {
      const caller = callerOf(request);
      const row = await ownedApplication(ctx.store, request.params.applicationId, caller.username);
      const body = normalize(request.body);
      await checkPolicy(ctx, body.throttlingPolicy);
      await uniqueName(
        ctx,
        caller.username,
        body.name,
        () =>
          ctx.changes.write(async (trx, record) => {
            await applicationsRepository(trx).update(row.uuid, {
              name: body.name,
              throttling_policy: body.throttlingPolicy,
              description: body.description,
              group_id: body.groups.join(','),
              attributes: JSON.stringify(body.attributes),
              updated_at: ctx.clock.now(),
            });
            record(changeKeys.application(row.id));
          }),
        row.uuid,
      );
      return fullDto(ctx, await ownedApplication(ctx.store, row.uuid, caller.username));
    },
  );

  app.delete<{ Params: { applicationId: string } }>(
    `${base}/:applicationId`,
    { config: SCOPES, schema: { params: ID_PARAMS } },
    async (request, reply) => {
      const row = await ownedApplication(ctx.store, request.params.applicationId, callerOf(request).username);
      const km = residentKeyManagerOf(ctx);
      await ctx.changes.write(async (trx, record) => {
        for (const m of await keyMappingsRepository(trx).listByApplication(row.id)) {
          // Clients generated for the application go with it; a mapped (pre-existing) client is only unlinked.
          if (m.mode === 'CREATED') await km.deleteClient(m.consumer_key, trx);
          else await km.updateClient(m.consumer_key, { applicationId: null, keyType: null }, trx);
          record(changeKeys.keyMapping(m.key_manager, m.consumer_key));
        }
        await applicationsRepository(trx).delete(row.uuid);
        // Gateways drop the application's subscriptions and key mappings with it.
        record(changeKeys.application(row.id));
      });
      return reply.status(200).send();
    },
  );
}

function normalize(b: ApplicationBody) {
  return {
    name: b.name.trim(),
    throttlingPolicy: b.throttlingPolicy,
    description: b.description ?? '',
    groups: b.groups ?? [],
    attributes: b.attributes ?? {},
  };
}

async function checkPolicy(ctx: ControlPlaneContext, name: string): Promise<void> {
  if (!(await throttlingPoliciesRepository(ctx.store).findByName('application', name))) {
    throw new RestError(
      'VALIDATION_FAILED',
      `Throttling policy ${name} does not exist at the application level`,
    );
  }
}

/** Runs a write that must keep (owner, name) unique; maps both the pre-check and a lost race to 409. */
async function uniqueName(
  ctx: ControlPlaneContext,
  owner: string,
  name: string,
  write: () => Promise<void>,
  selfUuid?: string,
): Promise<void> {
  const repo = applicationsRepository(ctx.store);
  const taken = async () => {
    const other = await repo.findByOwnerAndName(owner, name);
    return other !== undefined && other.uuid !== selfUuid;
  };
  const conflict = () => new RestError('APPLICATION_EXISTS', `An application named ${name} already exists`);
  if (await taken()) throw conflict();
  try {
    await write();
  } catch (err) {
    if (await taken()) throw conflict();
    throw err;
  }
}

async function fullDto(ctx: ControlPlaneContext, row: ApplicationRow) {
  const [counts, mappings] = await Promise.all([
    applicationsRepository(ctx.store).subscriptionCounts([row.id]),
    keyMappingsRepository(ctx.store).listByApplication(row.id),
  ]);
  return applicationDto(
    row,
    counts.get(row.id) ?? 0,
    mappings.map((m) => applicationKeyDto(m)),
  );
}
