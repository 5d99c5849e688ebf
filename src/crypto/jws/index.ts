export {
  decodeBase64Strict,
  encodeBase64,
  b64url,
  b64urlPadded,
  JOSE_BASE64,
  WSO2_BASE64,
} from './base64-strict.js';
export type { Base64Alphabet, Base64Variant } from './base64-strict.js';
export {
  decodeCompactJws,
  verifyCompactJws,
  timeClaims,
  withinValidity,
  MAX_JWS_LENGTH,
} from './compact-jws.js';
export type { CompactJws, JwsProfile, JwsRejection } from './compact-jws.js';
export { isJwsAlgorithm, jwsSignOptions } from './jws-algorithm.js';
export type { JwsAlgorithm, JwsCryptoOptions } from './jws-algorithm.js';
export { signCompactJws } from './sign-compact-jws.js';
export type { SignCompactJwsInput } from './sign-compact-jws.js';
