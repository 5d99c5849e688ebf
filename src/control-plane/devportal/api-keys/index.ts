export { devportalApiKeyRoutes } from './api-key-routes.js';
export { createApiKeyUsageRecorder } from './api-key-usage-recorder.js';
export type { ApiKeyUsageRecorder, ApiKeyUsageRecorderOptions } from './api-key-usage-recorder.js';
export { API_KEY_TOKEN_TYPE, keyStatus, recordRevocation, trustedCertificate } from './api-key-service.js';
