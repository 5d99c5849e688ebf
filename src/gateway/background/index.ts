export { createControlPlaneClient } from './control-plane-client.js';
export type {
  ControlPlaneClient,
  ControlPlaneClientOptions,
  ControlPlaneReply,
} from './control-plane-client.js';
export { createRemoteSnapshotSource } from './remote-snapshot-source.js';
export type { RemoteSnapshotOptions, RemoteSnapshotSource } from './remote-snapshot-source.js';
export { readPersistedSnapshot, writePersistedSnapshot } from './persisted-snapshot.js';
export type { PersistedSnapshotRead } from './persisted-snapshot.js';
export { loadOrCreateGatewayId } from './gateway-id.js';
export { startHeartbeats } from './heartbeat-sender.js';
export type { HeartbeatSenderOptions } from './heartbeat-sender.js';
export { boundedAccessTokenLookup, controlPlaneAccessTokenFetch } from './access-token-lookup.js';
export type { AccessTokenLookup, AccessTokenLookupOptions } from './access-token-lookup.js';
export { startUsageFlusher, controlPlaneUsageSink } from './usage-flusher.js';
export type { UsageFlusher, UsageFlusherOptions, UsageFlusherStatus, UsageSink } from './usage-flusher.js';
