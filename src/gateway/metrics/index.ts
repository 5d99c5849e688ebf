export { GatewayMetrics } from './gateway-metrics.js';
export type { CountedCache, SnapshotGaugeSource } from './gateway-metrics.js';
export { isLoopback, metricsEndpoint } from './metrics-endpoint.js';
export type { MetricsAccess, MetricsEndpointOptions } from './metrics-endpoint.js';
