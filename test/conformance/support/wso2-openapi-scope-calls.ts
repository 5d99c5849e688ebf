import type { ContractCall } from './wso2-openapi-calls.js';

/**
 * Contract calls of the scope operations (issue 13): Publisher shared scopes, Admin system scopes and role aliases.
 * `HEAD /scopes/{scopeId}` is not in the contract runner's methods; shared-scopes.rest.test.ts pins it.
 */
export const sharedScopeCalls: ContractCall[] = [
  {
    operation: 'POST /scopes',
    echo: true,
    request: () => ({
      body: { name: 'contract:read', displayName: 'Contract read', description: 'd', bindings: ['admin'] },
    }),
    expect: 201,
    capture: (b: { id: string }, s) => (s.scopeId = b.id),
  },
  { operation: 'GET /scopes', expect: 200 },
  { operation: 'GET /scopes/{scopeId}', request: (s) => ({ params: { scopeId: s.scopeId! } }), expect: 200 },
  {
    operation: 'PUT /scopes/{scopeId}',
    echo: true,
    request: (s) => ({
      params: { scopeId: s.scopeId! },
      body: { name: 'contract:read', displayName: 'Contract read', description: 'changed', bindings: [] },
    }),
    expect: 200,
  },
  {
    operation: 'GET /scopes/{scopeId}/usage',
    request: (s) => ({ params: { scopeId: s.scopeId! } }),
    expect: 200,
  },
  {
    operation: 'GET /scopes/{scopeId}',
    request: () => ({ params: { scopeId: '00000000-0000-0000-0000-000000000000' } }),
    expect: 404,
  },
  {
    operation: 'DELETE /scopes/{scopeId}',
    request: (s) => ({ params: { scopeId: s.scopeId! } }),
    expect: 200,
  },
];

export const systemScopeCalls: ContractCall[] = [
  { operation: 'GET /system-scopes', expect: 200 },
  {
    // Not echoed: the answer lists every system scope (the one sent comes back changed among them).
    operation: 'PUT /system-scopes',
    request: () => ({ body: { list: [{ name: 'apim:api_view', roles: ['admin', 'Internal/publisher'] }] } }),
    expect: 200,
  },
  {
    operation: 'GET /system-scopes/{scopeName}',
    request: () => ({
      params: { scopeName: Buffer.from('apim:admin').toString('base64url') },
      query: { username: 'admin' },
    }),
    expect: 200,
  },
  {
    operation: 'PUT /system-scopes/role-aliases',
    echo: true,
    request: () => ({ body: { count: 1, list: [{ role: 'Internal/subscriber', aliases: ['subscriber'] }] } }),
    expect: 200,
  },
  { operation: 'GET /system-scopes/role-aliases', expect: 200 },
];
