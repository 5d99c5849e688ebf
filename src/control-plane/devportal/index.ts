export { applicationsRoutes } from './applications/applications-routes.js';
export { ensureDefaultApplication, DEFAULT_APPLICATION } from './applications/ensure-default-application.js';
export { keysRoutes } from './keys/keys-routes.js';
export { keyTokenRoutes } from './keys/key-token-routes.js';
export { keyManagersRoutes, RESIDENT_KEY_MANAGER_ID } from './key-managers/key-managers-routes.js';
export { throttlingPoliciesRoutes } from './throttling-policies/throttling-policies-routes.js';
export { devportalApiKeyRoutes, createApiKeyUsageRecorder } from './api-keys/index.js';
export type { ApiKeyUsageRecorder, ApiKeyUsageRecorderOptions } from './api-keys/index.js';
