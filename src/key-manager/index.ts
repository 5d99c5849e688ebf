export { createResidentKeyManager, RESIDENT_KEY_MANAGER } from './resident-key-manager.js';
export type { ResidentKeyManager, RevocationResult } from './resident-key-manager.js';
export { OAuthError } from './oauth-error.js';
export type { OAuthErrorCode } from './oauth-error.js';
export type { AccessTokenClaims } from './access-token-signer.js';
export type { RestScopeAllowed } from './scope-policy.js';
export { NEVER_EXPIRES_IN, SUPPORTED_GRANTS } from './types.js';
export type {
  SupportedGrant,
  OAuthClient,
  NewClientInput,
  ResourceOwner,
  ResidentKeyManagerOptions,
  TokenRequest,
  TokenResponse,
  IntrospectionResponse,
  IntrospectionCaller,
  VerifiedAccessToken,
} from './types.js';
export type {
  ClientSecretInfo,
  ClientSecretState,
  NewSecretResult,
  RotatedSecret,
} from './client-secret-manager.js';
export {
  SECRET_HASH_RE,
  exportClientSecrets,
  importClient,
  transferredSecretOf,
  type TransferredSecret,
} from './client-transfer.js';
