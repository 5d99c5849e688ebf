export { startChangeFeed, MAX_BATCH } from './change-feed.js';
export type { ChangeFeed, ChangeFeedOptions, ChangePage } from './change-feed.js';
export { resolveDeltas } from './resolve-deltas.js';
export type { VersionedDelta } from './resolve-deltas.js';
export { startChangeLogPruner } from './change-log-pruner.js';
export { liveAccessToken } from './live-access-token.js';
