export { startRevocationPruner, pruneRevokedTokens } from './revocation-pruner.js';
export type { RevocationPrunerOptions } from './revocation-pruner.js';
