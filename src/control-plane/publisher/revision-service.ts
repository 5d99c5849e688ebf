import { changeKeys, newUuid, RestError } from '../../core/index.js';
import { apisRepository, type ApiDeploymentRow, type ApiRevisionRow } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { isObject } from './api-dto.js';
import { findApiOr404, rowToDto } from './api-service.js';

/** WSO2's default `max_revision_count` per API. */
export const MAX_REVISIONS = 5;
/** The only gateway environment of a Portico deployment (WSO2's default environment name). */
export const DEFAULT_ENVIRONMENT = 'Default';

/** The WSO2 `APIRevisionDeployment` resource. */
export function deploymentDto(d: ApiDeploymentRow) {
  return {
    revisionUuid: d.revision_id,
    name: d.environment,
    vhost: d.vhost,
    displayOnDevportal: d.display_on_devportal !== 0,
    deployedTime: String(d.deployed_at),
    successDeployedTime: String(d.deployed_at),
    status: 'APPROVED',
  };
}

/** The WSO2 `APIRevision` resource. */
export function revisionDto(r: ApiRevisionRow, deployments: readonly ApiDeploymentRow[]) {
  return {
    displayName: `Revision ${r.revision}`,
    id: r.id,
    description: r.description,
    createdTime: String(r.created_at),
    apiInfo: { id: r.api_id },
    deploymentInfo: deployments.filter((d) => d.revision_id === r.id).map(deploymentDto),
  };
}

/**
 * Freezes the API's current definition as a new revision.
 * @throws RestError API_NOT_FOUND, VALIDATION_FAILED (description not a string, revision limit reached).
 */
export async function createRevision(ctx: ControlPlaneContext, apiId: string, body: unknown) {
  const description = isObject(body) && body.description !== undefined ? body.description : '';
  if (typeof description !== 'string' || description.length > 255)
    throw new RestError('VALIDATION_FAILED', 'description must be a string of at most 255 characters');
  return ctx.store.transaction(async (trx) => {
    const api = await findApiOr404(trx, apiId);
    const repo = apisRepository(trx);
    const existing = await repo.listRevisions(apiId);
    if (existing.length >= MAX_REVISIONS)
      throw new RestError(
        'VALIDATION_FAILED',
        `Maximum number of revisions per API (${MAX_REVISIONS}) reached; delete an undeployed revision first`,
      );
    const row: ApiRevisionRow = {
      id: newUuid(),
      api_id: apiId,
      revision: (await repo.maxRevisionNumber(apiId)) + 1,
      description,
      definition: JSON.stringify(rowToDto(api)),
      created_at: ctx.clock.now(),
    };
    await repo.insertRevision(row);
    return revisionDto(row, []);
  });
}

/** @throws RestError API_NOT_FOUND */
export async function listRevisions(ctx: ControlPlaneContext, apiId: string, deployedOnly: boolean) {
  const db = ctx.store;
  await findApiOr404(db, apiId);
  const repo = apisRepository(db);
  const [revisions, deployments] = await Promise.all([
    repo.listRevisions(apiId),
    repo.listDeployments(apiId),
  ]);
  const list = revisions
    .map((r) => revisionDto(r, deployments))
    .filter((r) => !deployedOnly || r.deploymentInfo.length > 0);
  return { count: list.length, list };
}

/** @throws RestError API_NOT_FOUND, NOT_FOUND (no such revision of this API) */
export async function getRevisionOr404(ctx: ControlPlaneContext, apiId: string, revisionId: string) {
  await findApiOr404(ctx.store, apiId);
  const rev = await apisRepository(ctx.store).findRevision(apiId, revisionId);
  if (!rev) throw new RestError('NOT_FOUND', `Revision ${revisionId} of API ${apiId} not found`);
  return rev;
}

/** @throws RestError API_NOT_FOUND, NOT_FOUND, VALIDATION_FAILED (the revision is deployed) */
export async function deleteRevision(ctx: ControlPlaneContext, apiId: string, revisionId: string) {
  await ctx.store.transaction(async (trx) => {
    const repo = apisRepository(trx);
    await findApiOr404(trx, apiId);
    if (!(await repo.findRevision(apiId, revisionId)))
      throw new RestError('NOT_FOUND', `Revision ${revisionId} of API ${apiId} not found`);
    if ((await repo.listDeployments(apiId)).some((d) => d.revision_id === revisionId))
      throw new RestError('VALIDATION_FAILED', 'A deployed revision cannot be deleted; undeploy it first');
    await repo.deleteRevision(revisionId);
  });
  return listRevisions(ctx, apiId, false);
}

/**
 * Validates a WSO2 deployment body: `[{name:'Default', vhost, displayOnDevportal}]`.
 * @throws RestError VALIDATION_FAILED (not a non-empty array, unknown environment, bad vhost).
 */
export function parseDeploymentBody(body: unknown): { vhost: string; displayOnDevportal?: boolean } {
  if (!Array.isArray(body) || body.length === 0)
    throw new RestError(
      'VALIDATION_FAILED',
      'The body must be a non-empty array of {name, vhost, displayOnDevportal}',
    );
  let vhost = 'localhost';
  let displayOnDevportal: boolean | undefined;
  for (const item of body as unknown[]) {
    if (!isObject(item) || item.name !== DEFAULT_ENVIRONMENT)
      throw new RestError(
        'VALIDATION_FAILED',
        `Unknown gateway environment ${isObject(item) ? JSON.stringify(item.name) : ''}; only '${DEFAULT_ENVIRONMENT}' exists`,
      );
    if (item.vhost !== undefined) {
      if (typeof item.vhost !== 'string' || !/^[A-Za-z0-9.-]{1,253}$/.test(item.vhost))
        throw new RestError('VALIDATION_FAILED', 'vhost must be a host name');
      vhost = item.vhost;
    }
    if (item.displayOnDevportal !== undefined && item.displayOnDevportal !== null) {
      if (typeof item.displayOnDevportal !== 'boolean')
        throw new RestError('VALIDATION_FAILED', 'displayOnDevportal must be a boolean');
      displayOnDevportal = item.displayOnDevportal;
    }
  }
  return displayOnDevportal === undefined ? { vhost } : { vhost, displayOnDevportal };
}

/**
 * Deploys a revision to the Default gateway environment, replacing the revision deployed there.
 * @throws RestError API_NOT_FOUND, NOT_FOUND (revision), VALIDATION_FAILED (body).
 */
export async function deployRevision(
  ctx: ControlPlaneContext,
  apiId: string,
  revisionId: string,
  body: unknown,
) {
  const { vhost, displayOnDevportal } = parseDeploymentBody(body);
  const rows = await ctx.changes.write(async (trx, record) => {
    const repo = apisRepository(trx);
    await findApiOr404(trx, apiId);
    if (!(await repo.findRevision(apiId, revisionId)))
      throw new RestError('NOT_FOUND', `Revision ${revisionId} of API ${apiId} not found`);
    await repo.upsertDeployment({
      api_id: apiId,
      revision_id: revisionId,
      environment: DEFAULT_ENVIRONMENT,
      vhost,
      deployed_at: ctx.clock.now(),
      ...(displayOnDevportal === undefined ? {} : { display_on_devportal: displayOnDevportal ? 1 : 0 }),
    });
    record(changeKeys.api(apiId));
    return repo.listDeployments(apiId);
  });
  return rows.map(deploymentDto);
}

/**
 * Removes a revision from the Default environment.
 * @throws RestError API_NOT_FOUND, NOT_FOUND (revision), VALIDATION_FAILED (not deployed there).
 */
export async function undeployRevision(
  ctx: ControlPlaneContext,
  apiId: string,
  revisionId: string,
  body: unknown,
) {
  if (body !== undefined && body !== null) parseDeploymentBody(body);
  const rows = await ctx.changes.write(async (trx, record) => {
    const repo = apisRepository(trx);
    await findApiOr404(trx, apiId);
    if (!(await repo.findRevision(apiId, revisionId)))
      throw new RestError('NOT_FOUND', `Revision ${revisionId} of API ${apiId} not found`);
    if (!(await repo.deleteDeployment(apiId, DEFAULT_ENVIRONMENT, revisionId)))
      throw new RestError('VALIDATION_FAILED', `The revision is not deployed to ${DEFAULT_ENVIRONMENT}`);
    record(changeKeys.api(apiId));
    return repo.listDeployments(apiId);
  });
  return rows.map(deploymentDto);
}

/** @throws RestError API_NOT_FOUND */
export async function listDeployments(ctx: ControlPlaneContext, apiId: string) {
  await findApiOr404(ctx.store, apiId);
  const list = (await apisRepository(ctx.store).listDeployments(apiId)).map(deploymentDto);
  return { count: list.length, list };
}
