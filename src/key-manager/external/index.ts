export {
  KEY_MANAGER_TYPES,
  SECRET_PROPERTIES,
  defaultConsumerKeyClaim,
  defaultScopesClaim,
  jwksUriOf,
  keyManagerAllows,
  parseDefinition,
  toSnapshotKeyManager,
} from './key-manager-definition.js';
export type { KeyManagerDefinition, KeyManagerType, PermissionType } from './key-manager-definition.js';
export type {
  ClientRegistrationInput,
  KeyManagerConnector,
  ProviderClient,
  ProviderToken,
  RegisteredClient,
  TokenInput,
} from './key-manager-connector.js';
export { ProviderError } from './provider-http.js';
export type { ProviderErrorKind } from './provider-http.js';
export { connectorFor } from './connector-for.js';
export { clientCredentialsToken, revokeAtProvider } from './client-credentials-token.js';
export { dcrConnector } from './dcr-connector.js';
export { oktaConnector, oktaNewSecretUrl } from './okta-connector.js';
export { discoverKeyManager } from './discover-key-manager.js';
export type { DiscoveredKeyManager } from './discover-key-manager.js';
export { createJwksRefresher, JWKS_REFRESH_SOURCE } from './jwks-refresher.js';
export type { JwksRefresher, JwksRefresherOptions, KeyManagerHealth } from './jwks-refresher.js';
export { checkKeyManagerConnection, CONNECTION_CHECK_TIMEOUT_MS } from './check-key-manager-connection.js';
export type { ConnectionCheck, ConnectionCheckStep } from './check-key-manager-connection.js';
