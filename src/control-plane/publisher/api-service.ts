import { changeKeys, gatewayPathOf, newUuid, RestError } from '../../core/index.js';
import {
  apisRepository,
  subscriptionsRepository,
  throttlingPoliciesRepository,
  type ApiRow,
  type Queryable,
} from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { assertPublisherAccess, checkAccessControlInput, type AccessCaller } from './api-access-control.js';
import { normalizeApiInput, type ApiDto, type ApiInput } from './api-dto.js';
import { checkKeyManagers } from './api-key-managers-check.js';
import { storedDefaults } from './api-stored-fields.js';
import { lifecycleState, nextState } from './lifecycle.js';
import { recordLifecycleEvent } from './lifecycle-history.js';
import { sharedScopeRefs } from './shared-scope-refs.js';

/** The stored DTO of a row, with the read-only fields taken from the row's columns. */
export function rowToDto(row: ApiRow): ApiDto {
  const def = JSON.parse(row.definition) as ApiDto;
  return {
    // An API stored before a field was kept reads as WSO2's default for it.
    ...storedDefaults(),
    ...def,
    id: row.id,
    name: row.name,
    context: row.context,
    version: row.version,
    provider: row.provider,
    lifeCycleStatus: row.lifecycle,
    createdTime: String(row.created_at),
    lastUpdatedTime: String(row.updated_at),
  };
}

/** @throws RestError API_NOT_FOUND */
export async function findApiOr404(db: Queryable, id: string): Promise<ApiRow> {
  const row = await apisRepository(db).findById(id);
  if (!row) throw new RestError('API_NOT_FOUND', `API ${id} not found`);
  return row;
}

/**
 * The API row, when the caller may work on it in the Publisher (see `publisherMayAccess`).
 * @throws RestError API_NOT_FOUND, API_ACCESS_RESTRICTED (403: RESTRICTED to roles the caller holds none of).
 */
export async function accessibleApiOr404(db: Queryable, id: string, caller: AccessCaller): Promise<ApiRow> {
  const row = await findApiOr404(db, id);
  assertPublisherAccess(rowToDto(row), caller);
  return row;
}

/**
 * Creates an API in state CREATED, provided by the caller.
 * @throws RestError VALIDATION_FAILED (bad DTO, unknown policy, RESTRICTED with no role), INVALID_USER_ROLES
 * (unknown access-control role, or none the caller holds), KEY_MANAGER_NOT_REGISTERED / KEY_MANAGER_NOT_FOUND
 * (`keyManagers`, see checkKeyManagers), API_EXISTS (context+version or name+version taken).
 */
export async function createApi(
  ctx: ControlPlaneContext,
  raw: unknown,
  caller: AccessCaller,
): Promise<ApiDto> {
  const fields = normalizeApiInput(raw);
  checkAccessControlInput(fields, caller, ctx.config.user_store.custom_roles);
  const provider = caller.username;
  const now = ctx.clock.now();
  const id = newUuid();
  const row = await ctx.store.transaction(async (trx) => {
    await checkReferences(trx, fields, null);
    fields.scopes = await sharedScopeRefs(trx, fields.scopes);
    const dto = { ...fields, id, provider, lifeCycleStatus: 'CREATED', type: 'HTTP' } as ApiDto;
    const r: ApiRow = {
      id,
      name: fields.name,
      context: fields.context,
      version: fields.version,
      provider,
      lifecycle: 'CREATED',
      definition: JSON.stringify(stored(dto)),
      created_at: now,
      updated_at: now,
    };
    await apisRepository(trx).insert(r);
    await recordLifecycleEvent(trx, { apiId: id, from: null, to: 'CREATED', username: provider, at: now });
    return r;
  });
  return rowToDto(row);
}

/**
 * Updates an API's working copy: fields present in the body replace the current ones. The gateway keeps serving the
 * deployed revision until a new revision is deployed (WSO2 4.x semantics).
 * @throws RestError API_NOT_FOUND, API_ACCESS_RESTRICTED, VALIDATION_FAILED (bad DTO, name/version changed),
 * INVALID_USER_ROLES (see createApi), KEY_MANAGER_NOT_REGISTERED / KEY_MANAGER_NOT_FOUND (`keyManagers`), API_EXISTS
 * (context taken).
 */
export async function updateApi(
  ctx: ControlPlaneContext,
  id: string,
  raw: unknown,
  caller: AccessCaller,
): Promise<ApiDto> {
  const row = await ctx.store.transaction(async (trx) => {
    const current = await accessibleApiOr404(trx, id, caller);
    const before = rowToDto(current);
    const fields = normalizeApiInput(raw, before);
    checkAccessControlInput(fields, caller, ctx.config.user_store.custom_roles);
    if (fields.name !== before.name || fields.version !== before.version)
      throw new RestError('VALIDATION_FAILED', 'The name and version of an API cannot be changed');
    await checkReferences(trx, fields, id);
    fields.scopes = await sharedScopeRefs(trx, fields.scopes);
    const now = Math.max(ctx.clock.now(), current.updated_at);
    const dto = { ...before, ...fields } as ApiDto;
    const definition = JSON.stringify(stored(dto));
    await apisRepository(trx).update(id, { context: fields.context, definition, updated_at: now });
    return { ...current, context: fields.context, definition, updated_at: now };
  });
  // The gateway serves the deployed revision, not the working copy: nothing changes for it here.
  return rowToDto(row);
}

/**
 * Deletes an API with its revisions and deployments.
 * @throws RestError API_NOT_FOUND, API_ACCESS_RESTRICTED, CONFLICT (the API still has subscriptions, as WSO2
 * refuses too).
 */
export async function deleteApi(ctx: ControlPlaneContext, id: string, caller: AccessCaller): Promise<void> {
  await ctx.changes.write(async (trx, record) => {
    await accessibleApiOr404(trx, id, caller);
    const subs = await subscriptionsRepository(trx).listByApi(id);
    if (subs.length > 0)
      throw new RestError(
        'CONFLICT',
        `Cannot remove the API as ${subs.length} active subscription(s) exist; remove them first`,
      );
    const repo = apisRepository(trx);
    if ((await repo.listDeployments(id)).length > 0) record(changeKeys.api(id));
    await repo.delete(id);
  });
}

/**
 * Applies a lifecycle action (WSO2 state machine) on behalf of the caller, recorded in the lifecycle history.
 * Publishing needs a business plan and an endpoint; retiring undeploys the API from the gateway.
 * @throws RestError API_NOT_FOUND, API_ACCESS_RESTRICTED, VALIDATION_FAILED (action not allowed, publish
 * requirements missing).
 */
export async function changeLifecycle(
  ctx: ControlPlaneContext,
  id: string,
  action: string,
  caller: AccessCaller,
) {
  const { username } = caller;
  const to = await ctx.changes.write(async (trx, record) => {
    const row = await accessibleApiOr404(trx, id, caller);
    const target = nextState(row.lifecycle, action);
    if (target === 'PUBLISHED') checkPublishable(rowToDto(row));
    const repo = apisRepository(trx);
    const now = Math.max(ctx.clock.now(), row.updated_at);
    await repo.update(id, { lifecycle: target, updated_at: now });
    await recordLifecycleEvent(trx, { apiId: id, from: row.lifecycle, to: target, username, at: now });
    if (target === 'RETIRED') {
      for (const d of await repo.listDeployments(id))
        await repo.deleteDeployment(id, d.environment, d.revision_id);
    }
    // The lifecycle is part of what the gateway serves (BLOCKED, RETIRED...).
    record(changeKeys.api(id));
    return target;
  });
  return { workflowStatus: 'APPROVED', jsonPayload: null, lifecycleState: lifecycleState(to) };
}

/** Publishing needs an endpoint and a business plan. @throws RestError VALIDATION_FAILED */
export function checkPublishable(dto: Pick<ApiDto, 'endpointConfig' | 'policies'>): void {
  const ep = dto.endpointConfig;
  if (!ep?.production_endpoints && !ep?.sandbox_endpoints)
    throw new RestError('VALIDATION_FAILED', 'Cannot publish: no endpoint is configured');
  if (dto.policies.length === 0)
    throw new RestError(
      'VALIDATION_FAILED',
      'Cannot publish: no business plan (subscription policy) is selected',
    );
}

/**
 * Checks what a DTO references: subscription tiers and advanced policies exist, the key managers exist
 * ({@link checkKeyManagers}), context+version and name+version are free.
 * @throws RestError VALIDATION_FAILED, KEY_MANAGER_NOT_REGISTERED, KEY_MANAGER_NOT_FOUND, API_EXISTS
 */
export async function checkReferences(db: Queryable, f: Required<ApiInput>, selfId: string | null) {
  const policies = throttlingPoliciesRepository(db);
  const tiers = await policies.existingNames('subscription', f.policies);
  const missingTiers = f.policies.filter((n) => !tiers.has(n));
  const advancedNames = [
    ...new Set([
      ...(f.apiThrottlingPolicy ? [f.apiThrottlingPolicy] : []),
      ...f.operations.map((o) => o.throttlingPolicy),
    ]),
  ];
  const advanced = await policies.existingNames('api', advancedNames);
  const missingAdvanced = advancedNames.filter((n) => !advanced.has(n));
  const problems = [
    ...missingTiers.map((n) => `policies: subscription policy ${n} does not exist`),
    ...missingAdvanced.map((n) => `throttling policy ${n} is not an existing advanced (API-level) policy`),
  ];
  if (problems.length)
    throw new RestError(
      'VALIDATION_FAILED',
      problems.join('; '),
      problems.map((message) => ({ code: 'VALIDATION_FAILED', message })),
    );
  const all = await apisRepository(db).list();
  const self = all.find((a) => a.id === selfId);
  await checkKeyManagers(db, f.keyManagers, self ? rowToDto(self).keyManagers : null);
  const others = all.filter((a) => a.id !== selfId);
  // `/{version}/a` and `/1.0.0/a` (without placeholder, so served at `/1.0.0/a/1.0.0`) differ; the paths decide.
  const path = gatewayPathOf(f.context, f.version);
  if (others.some((a) => a.version === f.version && gatewayPathOf(a.context, a.version) === path))
    throw new RestError(
      'API_EXISTS',
      `An API with context ${f.context} and version ${f.version} already exists`,
    );
  if (others.some((a) => a.name === f.name && a.version === f.version))
    throw new RestError('API_EXISTS', `An API named ${f.name} with version ${f.version} already exists`);
}

/** The definition as stored: the DTO without the fields kept in columns that change without a rewrite. */
export function stored(dto: ApiDto): Omit<ApiDto, 'lifeCycleStatus' | 'createdTime' | 'lastUpdatedTime'> {
  const { lifeCycleStatus: _l, createdTime: _c, lastUpdatedTime: _u, ...rest } = dto;
  return rest;
}
