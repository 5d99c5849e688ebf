export { loadKeystore } from './load-keystore.js';
export type { Keystore, KeystoreEntry, KeystoreSpec } from './keystore.js';
export { KeystoreError } from './keystore-error.js';
export type { KeystoreErrorCode } from './keystore-error.js';
export { detectKeystoreType } from './detect-keystore-type.js';
export type { DetectedKeystoreType, KeystoreType } from './detect-keystore-type.js';
export { TrustStore, loadTrustStore, createTrustStore } from './trust-store.js';
export type { TrustStoreSpec } from './trust-store.js';
export { createPrimaryKeystore } from './create-primary-keystore.js';
export { changePkcs12Password } from './change-pkcs12-password.js';
export { writeFileAtomic } from './write-file-atomic.js';
export type { PrimaryKeystoreOptions } from './create-primary-keystore.js';
export { derToPem } from './pem-blocks.js';
export {
  b64url,
  b64urlPadded,
  b64urlDecodeLenient,
  x5tOfCert,
  kidForCert,
  signWso2Jwt,
  splitJws,
  decodeJwsSegment,
  verifyJwsSignature,
} from './jwt-wso2.js';
export type { JwsParts, SignWso2JwtInput } from './jwt-wso2.js';
export { isJwsAlgorithm } from './jws-algorithm.js';
export type { JwsAlgorithm } from './jws-algorithm.js';
export { publicJwk } from './public-jwk.js';
export type { PublicJwk } from './public-jwk.js';
