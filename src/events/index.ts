export { createInProcessBus } from './event-bus.js';
export type { EventBus } from './event-bus.js';
export { createRedisBus } from './redis-bus.js';
export type { RedisBusOptions } from './redis-bus.js';
