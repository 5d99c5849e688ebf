export { publisherRoutes } from './publisher-routes.js';
export type { PublisherRoutesOptions } from './publisher-routes.js';
export { deploySample, defaultSampleBackendUrl } from './deploy-sample.js';
export type { DeploySampleOptions } from './deploy-sample.js';
export type { ApiDto, ApiOperation, ApiScope, EndpointConfig } from './api-dto.js';
// Shared with the Developer Portal routes (same DTOs and list conventions).
export { rowToDto, findApiOr404 } from './api-service.js';
export { toOpenApi } from './openapi.js';
export { matchesQuery } from './api-query.js';
export { listQuery } from './publisher-schemas.js';
