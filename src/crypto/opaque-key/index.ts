export {
  hasValidChecksum,
  newOpaqueApiKey,
  opaqueKeyHash,
  OPAQUE_CHECKSUM_CHARS,
  OPAQUE_KEY_PATTERN,
  OPAQUE_PREFIX_PATTERN,
  OPAQUE_RANDOM_CHARS,
} from './opaque-api-key.js';
