export { gatewayFaults, faultBody, formatNextAccessTime } from './gateway-faults.js';
export type { CredentialFailure, GatewayFault, ThrottleLevel } from './gateway-faults.js';
export { restErrors, RestError } from './rest-errors.js';
export type { RestErrorCode, RestErrorSpec, RestErrorBody } from './rest-errors.js';
