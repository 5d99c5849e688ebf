export { GatewayTracing } from './gateway-tracing.js';
export type { RequestSpan, TracingSettings } from './gateway-tracing.js';
