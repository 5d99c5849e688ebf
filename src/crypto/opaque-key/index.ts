export {
  hasValidChecksum,
  newOpaqueApiKey,
  opaqueKeyHash,
  OPAQUE_CHECKSUM_CHARS,
  OPAQUE_KEY_PATTERN,
  OPAQUE_PREFIX_PATTERN,
  OPAQUE_RANDOM_CHARS,
} from './opaque-api-key.js';
export {
  isOpaqueAccessToken,
  newOpaqueAccessToken,
  OPAQUE_ACCESS_TOKEN_BYTES,
  OPAQUE_ACCESS_TOKEN_CHARS,
} from './opaque-access-token.js';
