export { devportalApiKeyRoutes } from './api-key-routes.js';
export { createApiKeyUsageRecorder } from './api-key-usage-recorder.js';
export type { ApiKeyUsageRecorder, ApiKeyUsageRecorderOptions } from './api-key-usage-recorder.js';
// Shared with the API-bound keys (`../api-bound-keys/`): request parsing, key states, the revoked-token type.
export { parseGenerateRequest, parseKeyType, type GenerateRequest } from './api-key-request.js';
export { parseRenewRequest } from './api-key-rotation.js';
export { keyStatus, trustedCertificate } from './api-key-service.js';
export { API_KEY_TOKEN_TYPE, recordRevocation, revokeApiKeyIn, logRevocation } from './api-key-revocation.js';
export type { ApiKeyRevocation } from './api-key-revocation.js';
