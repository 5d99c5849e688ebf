import { RestError } from '../../../core/index.js';
import { apisRepository, type ApiRow, type Queryable } from '../../../store/index.js';
import {
  PROJECT_VERSION,
  extensionOf,
  formatDocument,
  safeFileName,
  writeProjectArchive,
  type ExportedProject,
  type ProjectFormat,
} from '../../project-archive/index.js';
import { assertPublisherAccess, type AccessCaller } from '../api-access-control.js';
import { findApiOr404, rowToDto } from '../api-service.js';
import { toOpenApi } from '../openapi.js';

/** Which API to export: by id, or by name and version (and provider when several could match). */
export interface ApiExportQuery {
  apiId?: string | undefined;
  name?: string | undefined;
  version?: string | undefined;
  providerName?: string | undefined;
  format: ProjectFormat;
  /** Keep `lifeCycleStatus` (WSO2's default); false exports the API as CREATED. */
  preserveStatus: boolean;
}

/**
 * The API as an apictl project zip: `<name>-<version>/api.yaml` (`type: api`, `data`: the Publisher API DTO),
 * `Definitions/swagger.yaml` (the OpenAPI document) and `deployment_environments.yaml` (where a revision is
 * deployed), or `.json` files with format JSON. Nothing secret is in an API's DTO (Portico keeps no endpoint
 * credentials), so `preserveCredentials` has nothing to add.
 * Faults: 400 VALIDATION_FAILED (neither apiId nor name and version), 404 API_NOT_FOUND, 403 API_ACCESS_RESTRICTED
 * (the API is RESTRICTED to roles the caller lacks).
 */
export async function exportApi(
  db: Queryable,
  q: ApiExportQuery,
  caller: AccessCaller,
): Promise<ExportedProject> {
  const row = await resolveApi(db, q);
  const dto = rowToDto(row);
  assertPublisherAccess(dto, caller);
  const data = q.preserveStatus ? dto : { ...dto, lifeCycleStatus: 'CREATED' };
  const ext = extensionOf(q.format);
  const deployments = await apisRepository(db).listDeployments(row.id);
  const files: Record<string, string> = {
    [`api.${ext}`]: formatDocument({ type: 'api', version: PROJECT_VERSION, data }, q.format),
    [`Definitions/swagger.${ext}`]: formatDocument(toOpenApi(dto), q.format),
  };
  if (deployments.length > 0)
    files[`deployment_environments.${ext}`] = formatDocument(
      {
        type: 'deployment_environments',
        version: PROJECT_VERSION,
        data: deployments.map((d) => ({
          displayOnDevportal: true,
          deploymentEnvironment: d.environment,
          deploymentVhost: d.vhost,
        })),
      },
      q.format,
    );
  return {
    fileName: safeFileName(`${row.name}_${row.version}.zip`),
    zip: writeProjectArchive(`${row.name}-${row.version}`, files),
  };
}

async function resolveApi(db: Queryable, q: ApiExportQuery): Promise<ApiRow> {
  if (q.apiId) return findApiOr404(db, q.apiId);
  if (!q.name || !q.version)
    throw new RestError('VALIDATION_FAILED', 'Give apiId, or name and version (and providerName) of the API');
  const matches = (await apisRepository(db).list()).filter(
    (a) =>
      a.name === q.name &&
      a.version === q.version &&
      (q.providerName === undefined || q.providerName === '' || a.provider === q.providerName),
  );
  const row = matches[0];
  if (!row) throw new RestError('API_NOT_FOUND', `API ${q.name} ${q.version} not found`);
  return row;
}
