import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import { apisRepository, type ApiRevisionRow, type ApiRow } from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import type { ProjectFiles } from '../../project-archive/index.js';
import { normalizeApiInput, type ApiDto } from '../api-dto.js';
import { assertPublisherAccess, checkAccessControlInput, type AccessCaller } from '../api-access-control.js';
import { checkPublishable, checkReferences, rowToDto, stored } from '../api-service.js';
import { DEFAULT_ENVIRONMENT, MAX_REVISIONS } from '../revision-service.js';
import { readApiProject } from './api-project-reader.js';

/** The query options of `POST /apis/import` (WSO2's names and defaults). */
export interface ApiImportOptions {
  /** Keep the provider named in api.yaml (default true); false makes the caller the provider. */
  preserveProvider: boolean;
  /** Update the API of the same name and version (it must exist); false refuses an existing one. */
  overwrite: boolean;
  /** At the revision limit, delete the oldest revision (undeploying it) instead of refusing. */
  rotateRevision: boolean;
}

/** WSO2's `ImportAPIResponse`. */
export interface ImportApiResponse {
  id: string;
  revision?: string;
}

const PROVIDER_RE = /^[A-Za-z0-9._@-]{1,100}$/;

/**
 * Creates (or with `overwrite` updates) the API of an apictl project in one transaction: its DTO and definition,
 * its lifecycle state, and — when deployment_environments.yaml names `Default` — a new revision deployed there.
 * A project that fails any check writes nothing.
 * Faults: those of readApiProject; 400 UNSUPPORTED_FIELD (a WSO2 field Portico does not support, set),
 * VALIDATION_FAILED (bad DTO, unknown policy, not publishable, revision limit), INVALID_USER_ROLES (access-control
 * roles unknown or none held by the caller), KEY_MANAGER_NOT_REGISTERED (an unknown key manager, as WSO2); 403
 * API_ACCESS_RESTRICTED (overwrite of an API RESTRICTED to roles the caller lacks); 404 API_NOT_FOUND (overwrite of a
 * missing API), KEY_MANAGER_NOT_FOUND (no usable key manager); 409 API_EXISTS.
 */
export async function importApi(
  ctx: ControlPlaneContext,
  project: ProjectFiles,
  opts: ApiImportOptions,
  caller: AccessCaller,
): Promise<ImportApiResponse> {
  const { dto, lifecycle, deployVhost } = readApiProject(project);
  const provider = opts.preserveProvider && dto.provider !== undefined ? dto.provider : caller.username;
  if (typeof provider !== 'string' || !PROVIDER_RE.test(provider))
    throw new RestError('VALIDATION_FAILED', 'api.yaml provider must be a user name');
  const fields = normalizeApiInput(dto);
  if (lifecycle === 'PUBLISHED') checkPublishable(fields);
  return ctx.changes.write(async (trx, record) => {
    const repo = apisRepository(trx);
    const existing = (await repo.list()).find((a) => a.name === fields.name && a.version === fields.version);
    if (existing && !opts.overwrite)
      throw new RestError(
        'API_EXISTS',
        `An API named ${fields.name} with version ${fields.version} already exists; import with overwrite=true to update it`,
      );
    if (!existing && opts.overwrite)
      throw new RestError(
        'API_NOT_FOUND',
        `API ${fields.name} ${fields.version} not found; import without overwrite`,
      );
    // As in WSO2, the access check on the API being overwritten comes before the roles the project brings.
    if (existing) assertPublisherAccess(rowToDto(existing), caller);
    checkAccessControlInput(fields, caller, ctx.config.user_store.custom_roles);
    await checkReferences(trx, fields, existing?.id ?? null);
    const now = Math.max(ctx.clock.now(), existing?.updated_at ?? 0);
    const id = existing?.id ?? newUuid();
    const full = {
      ...(existing ? rowToDto(existing) : {}),
      ...fields,
      id,
      provider: existing && !opts.preserveProvider ? existing.provider : provider,
      type: 'HTTP',
    } as ApiDto;
    const row: ApiRow = {
      id,
      name: fields.name,
      context: fields.context,
      version: fields.version,
      provider: full.provider,
      lifecycle,
      definition: JSON.stringify(stored(full)),
      created_at: existing?.created_at ?? now,
      updated_at: now,
    };
    if (existing) {
      await repo.update(id, { context: row.context, lifecycle, definition: row.definition, updated_at: now });
      if (existing.lifecycle !== lifecycle) record(changeKeys.api(id));
    } else await repo.insert(row);
    if (deployVhost === null) return { id };
    const revision = await newRevision(repo, row, now, opts.rotateRevision);
    await repo.upsertDeployment({
      api_id: id,
      revision_id: revision.id,
      environment: DEFAULT_ENVIRONMENT,
      vhost: deployVhost,
      deployed_at: now,
    });
    record(changeKeys.api(id));
    return { id, revision: String(revision.revision) };
  });
}

async function newRevision(
  repo: ReturnType<typeof apisRepository>,
  row: ApiRow,
  now: number,
  rotate: boolean,
): Promise<ApiRevisionRow> {
  const revisions = await repo.listRevisions(row.id);
  if (revisions.length >= MAX_REVISIONS) {
    const oldest = [...revisions].sort((a, b) => a.revision - b.revision)[0];
    if (!rotate || !oldest)
      throw new RestError(
        'VALIDATION_FAILED',
        `Maximum number of revisions per API (${MAX_REVISIONS}) reached; import with rotateRevision=true`,
      );
    await repo.deleteDeployment(row.id, DEFAULT_ENVIRONMENT, oldest.id);
    await repo.deleteRevision(oldest.id);
  }
  const revision: ApiRevisionRow = {
    id: newUuid(),
    api_id: row.id,
    revision: (await repo.maxRevisionNumber(row.id)) + 1,
    description: 'Imported',
    definition: JSON.stringify(rowToDto(row)),
    created_at: now,
  };
  await repo.insertRevision(revision);
  return revision;
}
