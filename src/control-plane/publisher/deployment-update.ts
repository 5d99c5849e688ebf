import { RestError } from '../../core/index.js';
import { apisRepository } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { isObject } from './api-dto.js';
import { findApiOr404 } from './api-service.js';
import { deploymentDto } from './revision-service.js';

/** `APIRevisionDeployment` fields the server sets: sent back by GET → modify → PUT, and ignored. */
const READ_ONLY = new Set([
  'status',
  'deployedTime',
  'successDeployedTime',
  'liveGatewayCount',
  'deployedGatewayCount',
  'failedGatewayCount',
]);
const FIELDS = new Set(['revisionUuid', 'name', 'vhost', 'displayOnDevportal', ...READ_ONLY]);

/**
 * The environment a WSO2 `deploymentId` names: the base64url of the environment name, without padding
 * (`RGVmYXVsdA` = `Default`). Null when the id is not exactly that encoding of some name.
 */
export function environmentOfDeploymentId(deploymentId: string): string | null {
  if (!/^[A-Za-z0-9_-]{1,340}$/.test(deploymentId)) return null;
  const name = Buffer.from(deploymentId, 'base64url').toString('utf8');
  // Exact spelling only: decoders forgive stray bits and invalid UTF-8; the re-encoding does not.
  return Buffer.from(name, 'utf8').toString('base64url') === deploymentId ? name : null;
}

/**
 * `PUT /apis/{apiId}/deployments/{deploymentId}` (WSO2 `updateAPIDeployment`): changes whether the Developer
 * Portal shows the deployment (`displayOnDevportal`, default true as in WSO2's DTO). The revision, environment and
 * vhost of a deployment are not changed here (deploy again for that): when sent they must match.
 * @throws RestError API_NOT_FOUND, NOT_FOUND (no deployment of the API in that environment), VALIDATION_FAILED
 * (bad body, a mismatching revisionUuid, name or vhost), UNSUPPORTED_FIELD (a field the resource does not have).
 */
export async function updateDeployment(
  ctx: ControlPlaneContext,
  apiId: string,
  deploymentId: string,
  body: unknown,
) {
  if (!isObject(body))
    throw new RestError('VALIDATION_FAILED', 'The body must be an APIRevisionDeployment object');
  const unknown = Object.keys(body).filter((k) => !FIELDS.has(k));
  if (unknown.length > 0)
    throw new RestError(
      'UNSUPPORTED_FIELD',
      `Unsupported field(s) of APIRevisionDeployment: ${unknown.join(', ')}`,
      unknown.map((f) => ({ code: 'UNSUPPORTED_FIELD', message: `${f} is not supported` })),
    );
  const display = body.displayOnDevportal ?? true;
  if (typeof display !== 'boolean')
    throw new RestError('VALIDATION_FAILED', 'displayOnDevportal must be a boolean');
  const environment = environmentOfDeploymentId(deploymentId);
  return ctx.store.transaction(async (trx) => {
    await findApiOr404(trx, apiId);
    const repo = apisRepository(trx);
    const current = (await repo.listDeployments(apiId)).find((d) => d.environment === environment);
    if (!current) throw new RestError('NOT_FOUND', `API ${apiId} has no deployment ${deploymentId}`);
    const mismatch = (field: string, sent: unknown, actual: string) => {
      if (sent !== undefined && sent !== null && sent !== actual)
        throw new RestError(
          'VALIDATION_FAILED',
          `${field} does not match the deployment (${actual}); deploy the revision again to change it`,
        );
    };
    mismatch('revisionUuid', body.revisionUuid, current.revision_id);
    mismatch('name', body.name, current.environment);
    mismatch('vhost', body.vhost, current.vhost);
    await repo.setDeploymentVisibility(apiId, current.environment, display);
    return deploymentDto({ ...current, display_on_devportal: display ? 1 : 0 });
  });
}
