export { startGatewayWorkers } from './start-gateway-workers.js';
export type { GatewayWorkers, GatewayWorkersOptions } from './start-gateway-workers.js';
export type { WorkerListener } from './worker-protocol.js';
