export { createInProcessBus } from './event-bus.js';
export type { EventBus } from './event-bus.js';
