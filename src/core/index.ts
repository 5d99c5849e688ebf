export * from './faults/index.js';
export * from './snapshot.js';
export * from './snapshot-source.js';
export * from './clock.js';
export * from './ids.js';
export * from './events.js';
export * from './referer-pattern.js';
export * from './gateway-heartbeat.js';
