export { createGateway } from './create-gateway.js';
export type { Gateway } from './create-gateway.js';
export { defaultGatewaySettings } from './gateway-options.js';
export type { GatewayOptions, GatewaySettings } from './gateway-options.js';
export type { Principal } from './pipeline/principal.js';
export { InMemoryRateCounter } from './handlers/throttling/rate-counter.js';
export type { RateCounter } from './handlers/throttling/rate-counter.js';
export { createRemoteSnapshotSource } from './sync/remote-snapshot-source.js';
export type { RemoteSnapshotOptions } from './sync/remote-snapshot-source.js';
