import { RestError } from '../../core/index.js';
import { apisRepository } from '../../store/index.js';
import { PIZZASHACK_BACKEND_PATH } from '../../samples/pizzashack-backend.js';
import {
  pizzaShackApi,
  PIZZASHACK_CONTEXT,
  PIZZASHACK_NAME,
  PIZZASHACK_VERSION,
} from '../../samples/pizzashack-api.js';
import type { ControlPlaneContext } from '../context.js';
import type { ApiDto } from './api-dto.js';
import { assertPublisherAccess, type AccessCaller } from './api-access-control.js';
import { changeLifecycle, createApi, rowToDto } from './api-service.js';
import { createRevision, deployRevision } from './revision-service.js';

export interface DeploySampleOptions {
  /** Backend base URL; default: the control plane's own HTTP (else HTTPS) URL + `/am/sample/pizzashack/v1/api/`. */
  sampleBackendUrl?: string;
  /** Provider of the API when no `caller` is given (the super admin at first start); default `admin`. */
  provider?: string;
  /** The Publisher user deploying the sample (the REST route): its provider, and who must be allowed to see an existing one. */
  caller?: AccessCaller;
}

/** The default sample backend URL of a deployment (the control plane serves the sample itself, as WSO2 does). */
export function defaultSampleBackendUrl(ctx: ControlPlaneContext): string {
  return `${(ctx.urls.controlPlaneHttp ?? ctx.urls.controlPlane).replace(/\/+$/, '')}${PIZZASHACK_BACKEND_PATH}/`;
}

/**
 * Deploys the PizzaShack sample in one step, like the Publisher's "Deploy Sample API" button: create the API,
 * create revision 1, deploy it to Default, publish. Returns the published API and `created: true`; when the sample
 * is already there (PizzaShackAPI 1.0.0 on `/pizzashack`, e.g. deployed on the first start) it is returned as it is
 * now with `created: false`, never overwritten, so the call can be repeated.
 * @throws RestError API_EXISTS when another API holds the sample's name + version or context + version;
 * VALIDATION_FAILED if a policy it offers was deleted; API_ACCESS_RESTRICTED when the existing sample is
 * RESTRICTED to roles `caller` lacks.
 * @example await deploySample(ctx, { sampleBackendUrl: 'http://127.0.0.1:9763/am/sample/pizzashack/v1/api/' });
 */
export async function deploySample(
  ctx: ControlPlaneContext,
  opts: DeploySampleOptions = {},
): Promise<{ api: ApiDto; created: boolean }> {
  const existing = (await apisRepository(ctx.store).list()).find(
    (a) =>
      a.version === PIZZASHACK_VERSION && (a.name === PIZZASHACK_NAME || a.context === PIZZASHACK_CONTEXT),
  );
  if (existing) {
    if (existing.name === PIZZASHACK_NAME && existing.context === PIZZASHACK_CONTEXT) {
      const api = rowToDto(existing);
      if (opts.caller) assertPublisherAccess(api, opts.caller);
      return { api, created: false };
    }
    throw new RestError(
      'API_EXISTS',
      `Another API holds the sample's name or context: ${existing.name} ${existing.version} on ${existing.context}`,
    );
  }
  const caller = opts.caller ?? { username: opts.provider ?? 'admin', roles: ['admin'], scopes: [] };
  const api = await createApi(
    ctx,
    pizzaShackApi(opts.sampleBackendUrl ?? defaultSampleBackendUrl(ctx)),
    caller,
  );
  const revision = await createRevision(ctx, api.id, { description: 'Sample API revision' });
  await deployRevision(ctx, api.id, revision.id, [
    { name: 'Default', vhost: 'localhost', displayOnDevportal: true },
  ]);
  await changeLifecycle(ctx, api.id, 'Publish', caller);
  const row = await apisRepository(ctx.store).findById(api.id);
  if (!row) throw new RestError('INTERNAL', 'The sample API vanished while it was being deployed');
  return { api: rowToDto(row), created: true };
}
