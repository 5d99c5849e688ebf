import type { ContractCall, ContractState } from './wso2-openapi-calls.js';

const api = (s: ContractState) => ({ apiId: s.apiId! });
const keyType = (s: ContractState) => ({ applicationId: s.appId!, keyType: 'PRODUCTION' });

/**
 * WSO2 4.7's API-bound API keys on the contract test's API `apiId` (its `securityScheme` includes `api_key`) and
 * their association with the subscribed application `appId`, in an order where each finds what it needs.
 */
export const devportalBoundKeyCalls: ContractCall[] = [
  {
    operation: 'POST /apis/{apiId}/api-keys/generate',
    request: (s) => ({
      params: api(s),
      body: { keyName: 'bound', keyType: 'PRODUCTION', validityPeriod: 3600 },
    }),
    expect: 200,
    capture: (b: { keyUUID: string }, s) => (s.boundKey = b.keyUUID),
  },
  { operation: 'GET /apis/{apiId}/api-keys', request: (s) => ({ params: api(s) }), expect: 200 },
  {
    operation: 'POST /apis/{apiId}/api-keys/regenerate',
    request: (s) => ({ params: api(s), body: { keyUUID: s.boundKey! } }),
    expect: 200,
    capture: (b: { keyUUID: string }, s) => (s.boundKey = b.keyUUID),
  },
  {
    operation: 'POST /apis/{apiId}/api-keys/associate',
    request: (s) => ({ params: api(s), body: { keyUUID: s.boundKey!, applicationUUID: s.appId! } }),
    expect: 200,
  },
  {
    operation: 'GET /applications/{applicationId}/api-keys/{keyType}/associations',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
  },
  {
    operation: 'POST /apis/{apiId}/api-keys/dissociate',
    request: (s) => ({ params: api(s), body: { keyUUID: s.boundKey! } }),
    expect: 200,
  },
  {
    operation: 'GET /applications/{applicationId}/api-keys/{keyType}/subscriptions',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/api-keys/{keyType}/associate',
    request: (s) => ({ params: keyType(s), body: { apiUUID: s.apiId!, keyUUID: s.boundKey! } }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/api-keys/{keyType}/dissociate',
    request: (s) => ({ params: keyType(s), body: { keyUUID: s.boundKey! } }),
    expect: 200,
  },
  {
    operation: 'POST /apis/{apiId}/api-keys/revoke',
    request: (s) => ({ params: api(s), body: { keyUUID: s.boundKey! } }),
    expect: 200,
  },
];
