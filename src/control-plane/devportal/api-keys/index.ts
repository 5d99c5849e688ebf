export { devportalApiKeyRoutes } from './api-key-routes.js';
export { createApiKeyUsageRecorder } from './api-key-usage-recorder.js';
export type { ApiKeyUsageRecorder, ApiKeyUsageRecorderOptions } from './api-key-usage-recorder.js';
