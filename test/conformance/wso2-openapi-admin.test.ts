import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { testDialects } from '../support/dialects.js';
import { adminBasic, fullHarness } from '../support/full-control-plane.js';
import { runContractCalls, type ContractCall, type ContractState } from './support/wso2-openapi-calls.js';
import { coverageProblems } from './support/wso2-openapi-coverage.js';
import { systemScopeCalls } from './support/wso2-openapi-scope-calls.js';

/**
 * Issue 13: every Admin v4 operation Portico serves, called against a real control plane (every route module,
 * real SQLite, listening on a loopback port so key-manager discovery fetches its own well-known document over real
 * HTTP) and checked against WSO2's `admin-api.json` (status and body; the ajv relaxations are listed in
 * support/wso2-openapi-spec.ts). Adding an operation: append a `{ operation, request, expect }` entry.
 */
const limit = (requestCount: number) => ({
  type: 'REQUESTCOUNTLIMIT',
  requestCount: { timeUnit: 'min', unitTime: 1, requestCount },
});

/** The policy CRUD of one level: create, list, get, put back what GET gave with a new description, delete. */
function policyCalls(level: 'application' | 'subscription' | 'advanced', create: object): ContractCall[] {
  const base = `/throttling/policies/${level}`;
  const one = (s: ContractState) => ({ params: { policyId: s[`${level}Id`]! } });
  return [
    {
      operation: `POST ${base}`,
      echo: true,
      request: () => ({ body: create }),
      expect: 201,
      capture: (b: { policyId: string }, s) => (s[`${level}Id`] = b.policyId),
    },
    { operation: `GET ${base}`, expect: 200 },
    {
      operation: `GET ${base}/{policyId}`,
      request: one,
      expect: 200,
      capture: (b: object, s) => (s[`${level}Body`] = JSON.stringify(b)),
    },
    {
      operation: `PUT ${base}/{policyId}`,
      echo: true,
      request: (s) => ({
        ...one(s),
        body: { ...(JSON.parse(s[`${level}Body`]!) as object), description: 'changed by the contract test' },
      }),
      expect: 200,
    },
    { operation: `DELETE ${base}/{policyId}`, request: one, expect: 200 },
  ];
}

const keyManager = (s: ContractState) => ({
  name: 'ContractIdP',
  type: 'OIDC',
  displayName: 'Contract IdP',
  description: 'discovered from Portico itself',
  issuer: 'https://idp.example.com/contract',
  tokenEndpoint: 'https://idp.example.com/contract/token',
  certificates: { type: 'JWKS', value: s.jwksUri! },
  availableGrantTypes: ['client_credentials'],
  enableOAuthAppCreation: false,
  enableMapOAuthConsumerApps: true,
});
const km = (s: ContractState) => ({ params: { keyManagerId: s.kmId! } });
const condition = (s: ContractState) => ({ params: { conditionId: s.conditionId! } });

const calls: ContractCall[] = [
  ...policyCalls('application', {
    policyName: 'Contract5PerSec',
    description: 'c',
    defaultLimit: limit(300),
  }),
  ...policyCalls('subscription', {
    policyName: 'ContractPlatinum',
    displayName: 'Contract Platinum',
    description: 'Allows 10000 requests per minute',
    defaultLimit: limit(10000),
    rateLimitCount: 20,
    rateLimitTimeUnit: 'sec',
    stopOnQuotaReach: false,
    billingPlan: 'COMMERCIAL',
  }),
  ...policyCalls('advanced', { policyName: 'Contract3PerSec', description: 'c', defaultLimit: limit(180) }),
  {
    operation: 'POST /throttling/deny-policies',
    echo: true,
    request: () => ({
      body: { conditionType: 'APPLICATION', conditionValue: 'admin:ContractBlocked', conditionStatus: true },
    }),
    expect: 201,
    capture: (b: { conditionId: string }, s) => (s.conditionId = b.conditionId),
  },
  { operation: 'GET /throttling/deny-policies', expect: 200 },
  { operation: 'GET /throttling/deny-policy/{conditionId}', request: condition, expect: 200 },
  {
    operation: 'PATCH /throttling/deny-policy/{conditionId}',
    echo: true,
    request: (s) => ({ ...condition(s), body: { conditionStatus: false } }),
    expect: 200,
  },
  { operation: 'DELETE /throttling/deny-policy/{conditionId}', request: condition, expect: 200 },
  {
    operation: 'POST /key-managers/discover',
    request: (s) => ({ body: { url: s.wellKnown!, type: 'OIDC' } }),
    expect: 200,
    requestException:
      'WSO2 takes multipart form fields here; Portico takes the same fields as JSON (for now)',
    exception: {
      reason:
        'a discovered key manager has no name yet (the operator gives it when saving): `value.name` is empty',
      errors: /body\.value\.name /,
    },
  },
  {
    operation: 'POST /key-managers',
    echo: true,
    request: (s) => ({ body: keyManager(s) }),
    expect: 201,
    capture: (b: { id: string }, s) => (s.kmId = b.id),
  },
  { operation: 'GET /key-managers', expect: 200 },
  { operation: 'GET /key-managers/{keyManagerId}', request: km, expect: 200 },
  {
    operation: 'PUT /key-managers/{keyManagerId}',
    echo: true,
    request: (s) => ({ ...km(s), body: { ...keyManager(s), description: 'changed' } }),
    expect: 200,
  },
  { operation: 'DELETE /key-managers/{keyManagerId}', request: km, expect: 200 },
  {
    operation: 'GET /key-managers/{keyManagerId}',
    request: () => ({ params: { keyManagerId: '00000000-0000-0000-0000-000000000000' } }),
    expect: 404,
  },
  { operation: 'GET /gateways', expect: 200 },
  ...systemScopeCalls,
];

const [sqlite] = await testDialects();

test('Admin v4 answers every served operation as WSO2 documents it; coverage is complete', async () => {
  const h = await fullHarness(await sqlite!.open());
  try {
    await h.app.listen({ port: 0, host: '127.0.0.1' });
    const origin = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const state = {
      wellKnown: `${origin}/oauth2/token/.well-known/openid-configuration`,
      jwksUri: `${origin}/oauth2/jwks`,
    };
    const run = await runContractCalls(h, 'admin', calls, { authorization: adminBasic(), state });
    assert.deepEqual(run.problems, []);
    assert.deepEqual(coverageProblems('admin', h.cp.routes, run.called), []);
  } finally {
    await h.close();
  }
});
