export { keyManagerAdminRoutes, ADMIN_KEY_MANAGERS } from './key-manager-routes.js';
export type { KeyManagerRoutesOptions } from './key-manager-routes.js';
export {
  findExternalKeyManager,
  keyManagerOfMapping,
  generateExternalKeys,
  mapExternalKeys,
  externalToken,
  regenerateExternalSecret,
  deleteExternalClient,
} from './external-keys.js';
export type { ExternalToken, KeyApplication } from './external-keys.js';
