import type { FastifyRequest } from 'fastify';
import { apisRepository } from '../../store/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { assertPublisherAccess } from './api-access-control.js';
import { rowToDto } from './api-service.js';

/**
 * A preHandler enforcing access control on every Publisher route whose path starts with `prefix`
 * (`/api/am/publisher/v4/apis/:apiId`): swagger, revisions, deployments, lifecycle, generate-key, usage... are
 * refused before they run when the API is RESTRICTED to roles the caller lacks. An unknown id is left to the
 * route, which answers 404 as before. The services that write an API check again inside their transaction.
 * @throws RestError API_ACCESS_RESTRICTED
 */
export function publisherAccessGuard(ctx: ControlPlaneContext, prefix: string) {
  return async function guardRestrictedApi(request: FastifyRequest): Promise<void> {
    if (!request.routeOptions.config.scopes || !request.routeOptions.url?.startsWith(prefix)) return;
    const { apiId } = request.params as { apiId?: string };
    if (!apiId) return;
    const row = await apisRepository(ctx.store).findById(apiId);
    if (row) assertPublisherAccess(rowToDto(row), callerOf(request));
  };
}
