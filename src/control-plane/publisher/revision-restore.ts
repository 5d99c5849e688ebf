import { changeKeys, RestError } from '../../core/index.js';
import { apisRepository } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import type { ApiDto } from './api-dto.js';
import { findApiOr404, rowToDto } from './api-service.js';
import { gatewayPathOf } from '../../core/index.js';

/**
 * `POST /apis/{apiId}/restore-revision`: the API's working copy becomes the definition frozen in the revision
 * (WSO2 `restoreAPIRevision`), and every gateway environment the API is deployed to switches to that revision, so
 * the gateway serves what was restored through the snapshot like any deployment (a Portico difference, ADR 0015:
 * WSO2 only restores the working copy). Name, version, provider and lifecycle state are not part of a revision.
 * @throws RestError API_NOT_FOUND, NOT_FOUND (no such revision of this API), API_EXISTS (its context is now taken).
 */
export async function restoreRevision(
  ctx: ControlPlaneContext,
  apiId: string,
  revisionId: string,
): Promise<ApiDto> {
  const row = await ctx.changes.write(async (trx, record) => {
    const api = await findApiOr404(trx, apiId);
    const repo = apisRepository(trx);
    const revision = await repo.findRevision(apiId, revisionId);
    if (!revision) throw new RestError('NOT_FOUND', `Revision ${revisionId} of API ${apiId} not found`);
    const frozen = JSON.parse(revision.definition) as ApiDto;
    const { lifeCycleStatus: _l, createdTime: _c, lastUpdatedTime: _u, ...kept } = frozen;
    const working = { ...kept, id: api.id, name: api.name, version: api.version, provider: api.provider };
    const others = (await repo.list()).filter((a) => a.id !== apiId && a.version === api.version);
    const path = gatewayPathOf(working.context, api.version);
    if (others.some((a) => gatewayPathOf(a.context, api.version) === path))
      throw new RestError(
        'API_EXISTS',
        `Another API now holds context ${working.context} with version ${api.version}`,
      );
    const now = Math.max(ctx.clock.now(), api.updated_at);
    const definition = JSON.stringify(working);
    await repo.update(apiId, { context: working.context, definition, updated_at: now });
    let redeployed = false;
    for (const d of await repo.listDeployments(apiId)) {
      if (d.revision_id === revisionId) continue;
      await repo.upsertDeployment({ ...d, revision_id: revisionId, deployed_at: ctx.clock.now() });
      redeployed = true;
    }
    if (redeployed) record(changeKeys.api(apiId));
    return { ...api, context: working.context, definition, updated_at: now };
  });
  return rowToDto(row);
}
