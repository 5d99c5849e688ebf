import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../support/dialects.js';
import { adminBasic, fullHarness } from '../support/full-control-plane.js';
import { strToU8, zipSync } from 'fflate';
import { runContractCalls, type ContractCall } from './support/wso2-openapi-calls.js';
import { devportalBoundKeyCalls } from './support/wso2-openapi-devportal-bound-keys.js';
import { devportalKeyCalls } from './support/wso2-openapi-devportal-keys.js';
import { coverageProblems } from './support/wso2-openapi-coverage.js';

/**
 * Issue 12: every Developer Portal v3 operation Portico serves, called against a real control plane (every route
 * module, real SQLite) and checked against WSO2's `devportal-api.json` (status and body; the ajv relaxations
 * are listed in support/wso2-openapi-spec.ts). DCR (`dcr.json`) is checked here too. Adding an operation: append a
 * `{ operation, request, expect }` entry where the data it needs exists.
 */
// An apictl application project, for POST /applications/import.
const APP_PROJECT = zipSync({
  'admin-ContractImported/application.yaml': strToU8(
    'type: application\nversion: v4.5.0\ndata:\n  applicationInfo: { name: ContractImported, throttlingPolicy: Unlimited, owner: admin }\n',
  ),
});

const calls: ContractCall[] = [
  {
    operation: 'GET /apis',
    expect: 200,
    capture: (b: { list: { id: string }[] }, s) => (s.apiId = b.list[0]!.id),
  },
  { operation: 'GET /apis/{apiId}', request: (s) => ({ params: { apiId: s.apiId! } }), expect: 200 },
  {
    operation: 'GET /apis/{apiId}/swagger',
    request: (s) => ({ params: { apiId: s.apiId! } }),
    expect: 200,
    exception: {
      reason: 'the OpenAPI document itself is returned, as WSO2 does (the document says a JSON string)',
      errors: /should be string/,
    },
  },
  {
    operation: 'GET /apis/{apiId}/subscription-policies',
    request: (s) => ({ params: { apiId: s.apiId! } }),
    expect: 200,
    exception: {
      reason:
        "a JSON array of the API's tiers, as WSO2's implementation answers (the document says one ThrottlingPolicy)",
      errors: /should be object/,
    },
  },
  {
    operation: 'GET /throttling-policies/{policyLevel}',
    request: () => ({ params: { policyLevel: 'application' } }),
    expect: 200,
  },
  {
    operation: 'GET /throttling-policies/{policyLevel}/{policyId}',
    request: () => ({ params: { policyLevel: 'subscription', policyId: 'Gold' } }),
    expect: 200,
  },
  { operation: 'GET /key-managers', expect: 200 },
  {
    operation: 'POST /applications',
    echo: true,
    request: () => ({
      body: { name: 'ContractApp', throttlingPolicy: 'Unlimited', description: 'contract', tokenType: 'JWT' },
    }),
    expect: 201,
    capture: (b: { applicationId: string }, s) => (s.appId = b.applicationId),
  },
  {
    operation: 'POST /applications',
    echo: true,
    request: () => ({ body: { name: 'ContractApp2', throttlingPolicy: 'Unlimited' } }),
    expect: 201,
    capture: (b: { applicationId: string }, s) => (s.app2 = b.applicationId),
  },
  { operation: 'GET /applications', expect: 200 },
  {
    operation: 'GET /applications/export',
    request: () => ({
      query: { appName: 'ContractApp', appOwner: 'admin', withKeys: 'true', format: 'YAML' },
    }),
    expect: 200,
  },
  {
    operation: 'GET /applications/export',
    request: () => ({ query: { appName: 'NoSuchApp', appOwner: 'admin' } }),
    expect: 404,
  },
  {
    operation: 'POST /applications/import',
    request: () => ({ query: { preserveOwner: 'true', update: 'false' }, multipart: { file: APP_PROJECT } }),
    expect: 200,
  },
  {
    operation: 'POST /applications/import',
    request: () => ({ query: { preserveOwner: 'true' }, multipart: { file: APP_PROJECT } }),
    expect: 409,
    exception: {
      reason:
        'an application that exists (without update=true) is 409 APPLICATION_EXISTS, as POST /applications answers it (the document lists no 409)',
      errors: /status 409 is not documented/,
    },
  },
  // Error bodies are checked against the documented error responses too.
  {
    operation: 'GET /applications/{applicationId}',
    request: () => ({ params: { applicationId: '00000000-0000-0000-0000-000000000000' } }),
    expect: 404,
  },
  {
    operation: 'POST /applications',
    request: () => ({ body: { name: 'NoPolicy', throttlingPolicy: 'NoSuchTier' } }),
    expect: 400,
  },
  {
    operation: 'GET /applications/{applicationId}',
    request: (s) => ({ params: { applicationId: s.appId! } }),
    expect: 200,
  },
  {
    operation: 'PUT /applications/{applicationId}',
    echo: true,
    request: (s) => ({
      params: { applicationId: s.appId! },
      body: { name: 'ContractApp', throttlingPolicy: '10PerMin', description: 'changed', tokenType: 'JWT' },
    }),
    expect: 200,
  },
  {
    operation: 'POST /subscriptions',
    echo: true,
    request: (s) => ({ body: { applicationId: s.appId!, apiId: s.apiId!, throttlingPolicy: 'Gold' } }),
    expect: 201,
    capture: (b: { subscriptionId: string }, s) => (s.subId = b.subscriptionId),
  },
  {
    operation: 'POST /subscriptions/multiple',
    request: (s) => ({ body: [{ applicationId: s.app2!, apiId: s.apiId!, throttlingPolicy: 'Unlimited' }] }),
    expect: 200,
  },
  { operation: 'GET /subscriptions', request: (s) => ({ query: { applicationId: s.appId! } }), expect: 200 },
  {
    operation: 'GET /subscriptions/{subscriptionId}',
    request: (s) => ({ params: { subscriptionId: s.subId! } }),
    expect: 200,
  },
  {
    operation: 'PUT /subscriptions/{subscriptionId}',
    echo: true,
    request: (s) => ({
      params: { subscriptionId: s.subId! },
      body: { applicationId: s.appId!, apiId: s.apiId!, throttlingPolicy: 'Silver', status: 'UNBLOCKED' },
    }),
    expect: 200,
  },
  ...devportalKeyCalls,
  ...devportalBoundKeyCalls,
  {
    operation: 'POST /applications/{applicationId}/map-keys',
    request: (s) => ({
      params: { applicationId: s.app2! },
      body: {
        consumerKey: s.dcrClient!,
        consumerSecret: s.dcrSecret!,
        keyType: 'PRODUCTION',
        keyManager: 'Resident Key Manager',
      },
    }),
    expect: 200,
  },
  {
    operation: 'DELETE /subscriptions/{subscriptionId}',
    request: (s) => ({ params: { subscriptionId: s.subId! } }),
    expect: 200,
  },
  {
    operation: 'DELETE /applications/{applicationId}',
    request: (s) => ({ params: { applicationId: s.appId! } }),
    expect: 200,
  },
];

/** Dynamic client registration: the client it makes is what `map-keys` maps above. */
const dcrCalls: ContractCall[] = [
  {
    operation: 'POST /register',
    request: () => ({
      body: {
        clientName: 'contract_dcr',
        owner: 'admin',
        grantType: 'client_credentials',
        callbackUrl: '',
        saasApp: false,
      },
    }),
    expect: 200,
    capture: (b: { clientId: string; clientSecret: string }, s) => {
      s.dcrClient = b.clientId;
      s.dcrSecret = b.clientSecret;
    },
    requestException: "WSO2's documented call sends `saasApp` as a boolean (the document says string)",
    exception: {
      reason:
        'DCR answers `callBackURL` and a boolean `isSaasApplication`, as WSO2 does (the document says `callbackUrl`, string)',
      errors: /isSaasApplication|callbackUrl/,
    },
  },
];

const [sqlite] = await testDialects();

test('Developer Portal v3 and DCR answer every served operation as WSO2 documents it; coverage is complete', async () => {
  const h = await fullHarness(await sqlite!.open());
  try {
    const state = {};
    await enableApiKeysOnTheSample(h);
    const dcr = await runContractCalls(h, 'dcr', dcrCalls, { authorization: adminBasic(), state });
    const dp = await runContractCalls(h, 'devportal', calls, { authorization: adminBasic(), state });
    assert.deepEqual([...dcr.problems, ...dp.problems], []);
    assert.deepEqual(coverageProblems('devportal', h.cp.routes, dp.called), []);
    assert.deepEqual(coverageProblems('dcr', h.cp.routes, dcr.called), []);
  } finally {
    await h.close();
  }
});

/** The sample API with `api_key` among its security schemes (API-bound keys need it), through the Publisher. */
async function enableApiKeysOnTheSample(h: Awaited<ReturnType<typeof fullHarness>>): Promise<void> {
  const pub = '/api/am/publisher/v4/apis';
  const auth = { authorization: adminBasic() };
  const list = await h.app.inject({ url: pub, headers: auth });
  const id = (list.json() as { list: { id: string }[] }).list[0]!.id;
  const dto = (await h.app.inject({ url: `${pub}/${id}`, headers: auth })).json() as {
    securityScheme: string[];
  };
  const put = await h.app.inject({
    method: 'PUT',
    url: `${pub}/${id}`,
    headers: auth,
    payload: { ...dto, securityScheme: [...dto.securityScheme, 'api_key'] },
  });
  assert.equal(put.statusCode, 200, put.body);
}
