export { createGateway } from './create-gateway.js';
export type { Gateway } from './create-gateway.js';
export { defaultGatewaySettings } from './gateway-options.js';
export type { GatewayOptions, GatewaySettings } from './gateway-options.js';
export type { Principal } from './pipeline/principal.js';
export { InMemoryRateCounter } from './handlers/throttling/rate-counter.js';
export type { RateCounter } from './handlers/throttling/rate-counter.js';
export {
  createControlPlaneClient,
  createRemoteSnapshotSource,
  loadOrCreateGatewayId,
  startHeartbeats,
} from './background/index.js';
export type { ControlPlaneClient, RemoteSnapshotOptions, RemoteSnapshotSource } from './background/index.js';
export { compileCors, defaultCorsSettings } from './cors/cors-policy.js';
export type { CorsSettings, CorsPolicy } from './cors/cors-policy.js';
export { createRedisSyncedCounter } from './handlers/throttling/redis-synced-counter.js';
export type { RedisSyncedCounterOptions } from './handlers/throttling/redis-synced-counter.js';
