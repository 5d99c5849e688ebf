export { createGateway } from './create-gateway.js';
export type { Gateway } from './create-gateway.js';
export { defaultGatewaySettings } from './gateway-options.js';
export type { GatewayOptions, GatewaySettings } from './gateway-options.js';
export type { Principal } from './pipeline/principal.js';
export { InMemoryRateCounter } from './handlers/throttling/rate-counter.js';
export type { RateCounter } from './handlers/throttling/rate-counter.js';
export {
  boundedAccessTokenLookup,
  controlPlaneAccessTokenFetch,
  createControlPlaneClient,
  createRemoteSnapshotSource,
  loadOrCreateGatewayId,
  startHeartbeats,
} from './background/index.js';
export type { ControlPlaneClient, RemoteSnapshotOptions, RemoteSnapshotSource } from './background/index.js';
export { compileCors, defaultCorsSettings } from './cors/cors-policy.js';
export type { CorsSettings, CorsPolicy } from './cors/cors-policy.js';
export { LeaseCounter } from './handlers/throttling/lease-counter.js';
export type { LeaseCounterOptions } from './handlers/throttling/lease-counter.js';
export type { PermitSource, PermitRequest, PermitGrant } from './handlers/throttling/permit-source.js';
export { LocalPermitStore } from './background/local-permit-store.js';
export { createSharedPermitStore } from './background/shared-permit-store.js';
export type { SharedPermitStore, SharedPermitStoreOptions } from './background/shared-permit-store.js';
export { UsageBuffer } from './analytics/index.js';
export { startUsageFlusher, controlPlaneUsageSink } from './background/index.js';
export type { UsageFlusher, UsageSink } from './background/index.js';
