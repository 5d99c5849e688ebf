import type { ContractCall, ContractState } from './wso2-openapi-calls.js';

const app = (s: ContractState) => ({ applicationId: s.appId! });
const keyMapping = (s: ContractState) => ({ applicationId: s.appId!, keyMappingId: s.km! });
const keyType = (s: ContractState) => ({ applicationId: s.appId!, keyType: 'PRODUCTION' });

/**
 * The Developer Portal's application-key operations (OAuth keys by mapping id and by key type, client secrets,
 * API keys) on the application `appId` of the contract test, in an order where each finds what it needs.
 */
export const devportalKeyCalls: ContractCall[] = [
  {
    operation: 'POST /applications/{applicationId}/generate-keys',
    request: (s) => ({
      params: { applicationId: s.appId! },
      body: {
        keyType: 'PRODUCTION',
        keyManager: 'Resident Key Manager',
        grantTypesToBeSupported: ['client_credentials', 'password', 'refresh_token'],
        callbackUrl: 'https://app.example.com/cb',
        scopes: ['default'],
        validityTime: '3600',
      },
    }),
    expect: 200,
    capture: (b: { keyMappingId: string; consumerSecret: string }, s) => {
      s.km = b.keyMappingId;
      s.secret = b.consumerSecret;
    },
  },
  {
    operation: 'GET /applications/{applicationId}/oauth-keys',
    request: (s) => ({ params: app(s) }),
    expect: 200,
  },
  {
    operation: 'GET /applications/{applicationId}/oauth-keys/{keyMappingId}',
    request: (s) => ({ params: keyMapping(s) }),
    expect: 200,
  },
  {
    operation: 'PUT /applications/{applicationId}/oauth-keys/{keyMappingId}',
    echo: true,
    request: (s) => ({
      params: keyMapping(s),
      body: {
        supportedGrantTypes: ['client_credentials', 'password'],
        callbackUrl: 'https://app.example.com/cb2',
      },
    }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/oauth-keys/{keyMappingId}/regenerate-secret',
    request: (s) => ({ params: keyMapping(s) }),
    expect: 200,
    capture: (b: { consumerSecret: string }, s) => (s.secret = b.consumerSecret),
  },
  {
    operation: 'POST /applications/{applicationId}/oauth-keys/{keyMappingId}/generate-token',
    request: (s) => ({
      params: keyMapping(s),
      body: { consumerSecret: s.secret!, validityPeriod: 3600, scopes: ['default'] },
    }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/oauth-keys/{keyMappingId}/generate-secret',
    request: (s) => ({
      params: keyMapping(s),
      body: { additionalProperties: { description: 'ci', expiresIn: 3600 } },
    }),
    expect: 201,
    capture: (b: { secretId: string }, s) => (s.secretId = b.secretId),
  },
  {
    operation: 'GET /applications/{applicationId}/oauth-keys/{keyMappingId}/secrets',
    request: (s) => ({ params: keyMapping(s) }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/oauth-keys/{keyMappingId}/revoke-secret',
    request: (s) => ({ params: keyMapping(s), body: { secretId: s.secretId! } }),
    expect: 204,
  },
  {
    operation: 'POST /applications/{applicationId}/oauth-keys/{keyMappingId}/clean-up',
    request: (s) => ({ params: keyMapping(s) }),
    expect: 200,
  },
  { operation: 'GET /applications/{applicationId}/keys', request: (s) => ({ params: app(s) }), expect: 200 },
  {
    operation: 'GET /applications/{applicationId}/keys/{keyType}',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
  },
  {
    operation: 'PUT /applications/{applicationId}/keys/{keyType}',
    echo: true,
    request: (s) => ({
      params: keyType(s),
      body: { supportedGrantTypes: ['client_credentials'], callbackUrl: 'https://app.example.com/cb3' },
    }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/keys/{keyType}/regenerate-secret',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
    capture: (b: { consumerSecret: string }, s) => (s.secret = b.consumerSecret),
  },
  {
    operation: 'POST /applications/{applicationId}/keys/{keyType}/generate-token',
    request: (s) => ({ params: keyType(s), body: { consumerSecret: s.secret!, validityPeriod: 3600 } }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/keys/{keyType}/clean-up',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/api-keys/{keyType}/generate',
    request: (s) => ({ params: keyType(s), body: { keyName: 'ci', validityPeriod: 3600 } }),
    expect: 200,
    capture: (b: { keyUUID: string }, s) => (s.keyUUID = b.keyUUID),
  },
  {
    operation: 'GET /applications/{applicationId}/api-keys/{keyType}',
    request: (s) => ({ params: keyType(s) }),
    expect: 200,
  },
  {
    operation: 'POST /applications/{applicationId}/api-keys/{keyType}/regenerate',
    request: (s) => ({ params: keyType(s), body: { keyUUID: s.keyUUID! } }),
    expect: 200,
    capture: (b: { keyUUID: string }, s) => (s.keyUUID = b.keyUUID),
  },
  {
    operation: 'POST /applications/{applicationId}/api-keys/{keyType}/revoke',
    request: (s) => ({ params: keyType(s), body: { keyUUID: s.keyUUID! } }),
    expect: 200,
  },
  {
    operation: 'DELETE /applications/{applicationId}/oauth-keys/{keyMappingId}',
    request: (s) => ({ params: keyMapping(s) }),
    expect: 200,
  },
];
