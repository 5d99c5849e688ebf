export { UsageBuffer } from './usage-buffer.js';
