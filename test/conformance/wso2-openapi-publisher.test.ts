import { test } from 'node:test';
import assert from 'node:assert/strict';
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import { testDialects } from '../support/dialects.js';
import { adminBasic, createApplication, fullHarness, sampleApiId } from '../support/full-control-plane.js';
import { runContractCalls, type ContractCall } from './support/wso2-openapi-calls.js';
import { coverageProblems } from './support/wso2-openapi-coverage.js';
import { sharedScopeCalls } from './support/wso2-openapi-scope-calls.js';

/**
 * Issue 13: every Publisher v4 operation Portico serves, called against a real control plane (every route module,
 * real SQLite) and checked against WSO2's `publisher-api.json` (status and body; the ajv relaxations are listed in
 * support/wso2-openapi-spec.ts). Adding an operation: append a `{ operation, request, expect }` entry.
 */
const ENV = [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }];
const API = {
  name: 'ContractPets',
  context: '/contract-pets',
  version: '1.0.0',
  description: 'Pets',
  endpointConfig: {
    endpoint_type: 'http',
    production_endpoints: { url: 'http://127.0.0.1:9/pets' },
    sandbox_endpoints: { url: 'http://127.0.0.1:9/sandbox' },
  },
  policies: ['Gold', 'Unlimited'],
  operations: [
    { target: '/pets', verb: 'GET' },
    {
      target: '/pets/{id}',
      verb: 'DELETE',
      authType: 'Application & Application User',
      throttlingPolicy: '10KPerMin',
    },
  ],
};
const DOC = {
  openapi: '3.0.1',
  info: { title: 'ContractImported', version: '2.1' },
  servers: [{ url: 'https://backend.example.com/v2' }],
  paths: { '/orders': { get: { responses: { '200': { description: 'ok' } } } } },
};
const DOC_TEXT = JSON.stringify(DOC);
const api = (s: Record<string, string>) => ({ apiId: s.apiId! });
// An apictl project of another API, for POST /apis/import.
const PROJECT = zipSync({
  'ContractProject-1.0.0/api.yaml': strToU8(
    stringify({
      type: 'api',
      version: 'v4.5.0',
      data: { ...API, name: 'ContractProject', context: '/contract-project' },
    }),
  ),
});

const calls: ContractCall[] = [
  {
    operation: 'POST /apis',
    echo: true,
    request: () => ({ body: API }),
    expect: 201,
    capture: (b: { id: string }, s) => (s.apiId = b.id),
  },
  { operation: 'GET /apis', expect: 200 },
  {
    operation: 'GET /apis/{apiId}',
    request: () => ({ params: { apiId: '00000000-0000-0000-0000-000000000000' } }),
    expect: 404,
  },
  { operation: 'GET /apis/{apiId}', request: (s) => ({ params: api(s) }), expect: 200 },
  {
    operation: 'PUT /apis/{apiId}',
    echo: true,
    request: (s) => ({ params: api(s), body: { ...API, description: 'Pets, changed' } }),
    expect: 200,
  },
  {
    operation: 'GET /apis/{apiId}/swagger',
    request: (s) => ({ params: api(s) }),
    expect: 200,
    exception: {
      reason: 'the OpenAPI document itself is returned, as WSO2 does (the document says a JSON string)',
      errors: /should be string/,
    },
  },
  {
    operation: 'PUT /apis/{apiId}/swagger',
    request: (s) => ({
      params: api(s),
      body: { ...DOC, info: { title: 'ContractPets', version: '1.0.0' } },
      headers: { 'content-type': 'application/json' },
    }),
    expect: 200,
    exception: {
      reason:
        'the updated OpenAPI document itself is returned, as WSO2 does (the document says a JSON string)',
      errors: /should be string/,
    },
  },
  {
    operation: 'POST /apis/import-openapi',
    request: () => ({
      body: { definition: DOC, additionalProperties: JSON.stringify({ context: '/contract-imported' }) },
    }),
    expect: 201,
  },
  {
    operation: 'POST /apis/import-openapi',
    request: () => ({
      multipart: {
        file: DOC_TEXT,
        additionalProperties: JSON.stringify({
          name: 'ContractMultipart',
          version: '1.0.0',
          context: '/contract-mp',
        }),
      },
    }),
    expect: 201,
  },
  {
    operation: 'GET /apis/export',
    request: (s) => ({ query: { apiId: s.apiId!, format: 'YAML', preserveStatus: 'true' } }),
    expect: 200,
  },
  {
    operation: 'GET /apis/export',
    request: () => ({ query: { name: 'NoSuchApi', version: '1.0.0' } }),
    expect: 404,
  },
  {
    operation: 'POST /apis/import',
    request: () => ({
      query: { preserveProvider: 'true', overwrite: 'false' },
      multipart: { file: PROJECT },
    }),
    expect: 200,
  },
  {
    operation: 'POST /apis/import',
    request: () => ({ query: { overwrite: 'false' }, multipart: { file: PROJECT } }),
    expect: 409,
  },
  {
    operation: 'POST /apis/validate-openapi',
    request: () => ({ query: { returnContent: 'true' }, multipart: { file: DOC_TEXT } }),
    expect: 200,
  },
  {
    operation: 'POST /apis/validate-openapi',
    request: () => ({ multipart: { file: '{"not": "an OpenAPI document"}' } }),
    expect: 200,
  },
  {
    operation: 'POST /apis/{apiId}/revisions',
    echo: true,
    request: (s) => ({ params: api(s), body: { description: 'first' } }),
    expect: 201,
    exception: {
      reason: 'times are epoch milliseconds in a string (the document says an RFC 3339 date-time)',
      errors: /Time should match format "date-time"/,
    },
    capture: (b: { id: string }, s) => (s.revisionId = b.id),
  },
  {
    operation: 'GET /apis/{apiId}/revisions',
    request: (s) => ({ params: api(s) }),
    expect: 200,
    exception: {
      reason: 'times are epoch milliseconds in a string (the document says an RFC 3339 date-time)',
      errors: /Time should match format "date-time"/,
    },
  },
  {
    operation: 'GET /apis/{apiId}/revisions/{revisionId}',
    request: (s) => ({ params: { ...api(s), revisionId: s.revisionId! } }),
    expect: 200,
    exception: {
      reason: 'times are epoch milliseconds in a string (the document says an RFC 3339 date-time)',
      errors: /Time should match format "date-time"/,
    },
  },
  {
    operation: 'POST /apis/{apiId}/deploy-revision',
    request: (s) => ({ params: api(s), query: { revisionId: s.revisionId! }, body: ENV }),
    expect: 201,
    exception: {
      reason: 'deploy-revision answers 201 as WSO2 does (the document says 200)',
      errors: /status 201 is not documented/,
    },
  },
  {
    operation: 'GET /apis/{apiId}/deployments',
    request: (s) => ({ params: api(s) }),
    expect: 200,
    exception: {
      reason: 'times are epoch milliseconds in a string (the document says an RFC 3339 date-time)',
      errors: /Time should match format "date-time"/,
    },
  },
  {
    operation: 'POST /apis/change-lifecycle',
    request: (s) => ({ query: { apiId: s.apiId!, action: 'Publish' } }),
    expect: 200,
  },
  { operation: 'GET /apis/{apiId}/lifecycle-state', request: (s) => ({ params: api(s) }), expect: 200 },
  { operation: 'GET /apis/{apiId}/lifecycle-history', request: (s) => ({ params: api(s) }), expect: 200 },
  {
    operation: 'DELETE /apis/{apiId}/lifecycle-state/pending-tasks',
    request: (s) => ({ params: api(s) }),
    expect: 200,
  },
  { operation: 'POST /apis/{apiId}/generate-key', request: (s) => ({ params: api(s) }), expect: 200 },
  {
    operation: 'PUT /apis/{apiId}/deployments/{deploymentId}',
    request: (s) => ({
      params: { ...api(s), deploymentId: 'RGVmYXVsdA' },
      body: { revisionUuid: s.revisionId!, name: 'Default', vhost: 'localhost', displayOnDevportal: false },
    }),
    expect: 200,
    exception: {
      reason: 'times are epoch milliseconds in a string (the document says an RFC 3339 date-time)',
      errors: /Time should match format "date-time"/,
    },
  },
  {
    operation: 'POST /apis/{apiId}/restore-revision',
    request: (s) => ({ params: api(s), query: { revisionId: s.revisionId! } }),
    expect: 201,
  },
  { operation: 'GET /subscriptions', request: (s) => ({ query: { apiId: s.sampleApiId! } }), expect: 200 },
  {
    operation: 'POST /subscriptions/block-subscription',
    request: (s) => ({ query: { subscriptionId: s.subId!, blockState: 'BLOCKED' } }),
    expect: 200,
  },
  {
    operation: 'POST /subscriptions/unblock-subscription',
    request: (s) => ({ query: { subscriptionId: s.subId! } }),
    expect: 200,
  },
  {
    operation: 'POST /apis/{apiId}/undeploy-revision',
    request: (s) => ({ params: api(s), query: { revisionId: s.revisionId! }, body: ENV }),
    expect: 201,
  },
  {
    operation: 'DELETE /apis/{apiId}/revisions/{revisionId}',
    request: (s) => ({ params: { ...api(s), revisionId: s.revisionId! } }),
    expect: 200,
  },
  { operation: 'DELETE /apis/{apiId}', request: (s) => ({ params: api(s) }), expect: 200 },
  ...sharedScopeCalls,
];

const [sqlite] = await testDialects();

test('Publisher v4 answers every served operation as WSO2 documents it; coverage is complete', async () => {
  const h = await fullHarness(await sqlite!.open());
  try {
    // A subscription to the sample API, for the Publisher's subscription operations.
    const sampleId = await sampleApiId(h);
    const appId = await createApplication(h, 'ContractSubscriber');
    const sub = await h.app.inject({
      method: 'POST',
      url: '/api/am/devportal/v3/subscriptions',
      headers: { authorization: adminBasic() },
      payload: { applicationId: appId, apiId: sampleId, throttlingPolicy: 'Unlimited' },
    });
    assert.equal(sub.statusCode, 201, sub.body);
    const state = { sampleApiId: sampleId, subId: (sub.json() as { subscriptionId: string }).subscriptionId };
    const run = await runContractCalls(h, 'publisher', calls, { authorization: adminBasic(), state });
    assert.deepEqual(run.problems, []);
    assert.deepEqual(coverageProblems('publisher', h.cp.routes, run.called), []);
  } finally {
    await h.close();
  }
});
