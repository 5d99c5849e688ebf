export {
  createLiveTrustStore,
  importTrustedCert,
  seedTrustStoreOnce,
  describeTrustedCert,
} from './live-trust-store.js';
export type { LiveTrustStoreOptions } from './live-trust-store.js';
export { signingAliasWarnings } from './signing-alias-check.js';
export { parseTrustedCertInput } from './trusted-cert-input.js';
export type { TrustedCertInput } from './trusted-cert-input.js';
