export { createSnapshotService } from './snapshot-service.js';
export type { SnapshotService } from './snapshot-service.js';
export { buildSnapshot } from './build-snapshot.js';
export type { SnapshotExtras } from './build-snapshot.js';
export { apiToSnapshot } from './api-to-snapshot.js';
export type { ApiDefinitionForGateway } from './api-to-snapshot.js';
