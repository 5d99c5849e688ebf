import { test } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { RegisteredRoute } from '../../src/control-plane/index.js';
import type { Harness } from '../support/control-plane-harness.js';
import { runContractCalls } from './support/wso2-openapi-calls.js';
import {
  coverageProblems,
  documentedAsNotImplemented,
  withSection,
} from './support/wso2-openapi-coverage.js';
import { requestMismatch, responseMismatch, specOperation } from './support/wso2-openapi-spec.js';

/** The contract checker itself: it must see mismatches, or the contract tests could not fail. */
const route = (method: string, url: string): RegisteredRoute => ({ method, url, schema: {}, config: {} });

test('response check: a missing required field, a wrong type and an undocumented status are mismatches', () => {
  const create = specOperation('devportal POST /applications');
  const app = { applicationId: 'a1', name: 'App', throttlingPolicy: 'Unlimited', subscriptionCount: 0 };
  assert.equal(responseMismatch(create, 201, app), null);
  assert.match(String(responseMismatch(create, 201, { applicationId: 'a1' })), /required property 'name'/);
  assert.match(
    String(responseMismatch(create, 201, { ...app, subscriptionCount: 'x' })),
    /should be integer/,
  );
  assert.match(String(responseMismatch(create, 418, app)), /status 418 is not documented/);
  // A null required field counts as missing (WSO2's nulls are absent otherwise).
  assert.match(String(responseMismatch(create, 201, { ...app, name: null })), /required property 'name'/);
  assert.equal(responseMismatch(create, 201, { ...app, description: null }), null);
  // Error bodies are checked too (components/responses).
  assert.match(String(responseMismatch(create, 400, { message: 'x' })), /required property 'code'/);
  assert.equal(requestMismatch(create, { name: 'App', throttlingPolicy: 'Unlimited' }), null);
  assert.match(String(requestMismatch(create, { name: 'App' })), /throttlingPolicy/);
});

test('coverage: a served operation without a call, or a listed one that is served, is a problem', () => {
  const routes = [route('GET', '/api/am/devportal/v3/apis/:apiId'), route('GET', '/api/am/devportal/v3/me')];
  const listed = new Set(['GET /apis/{apiId}']);
  const problems = coverageProblems('devportal', routes, new Set(), listed);
  assert.ok(
    problems.includes(
      'devportal GET /apis/{apiId}: served by Portico but not called by the contract test (add a call)',
    ),
  );
  assert.ok(problems.some((p) => p.startsWith('devportal GET /apis/{apiId}: served, yet listed')));
  assert.ok(problems.some((p) => p.startsWith('devportal GET /apis: not served and not listed')));
  const stale = coverageProblems(
    'devportal',
    routes,
    new Set(['devportal GET /apis/{apiId}']),
    new Set(['GET /nope']),
  );
  assert.ok(stale.includes('devportal GET /nope: listed in docs but not in devportal-api.json'));
});

test('docs section: operations are read per API heading, and the section is replaced in place', () => {
  const md = [
    '# Doc',
    '## REST operations not implemented',
    '### Publisher v4 (`/api/am/publisher/v4`: 1 of 261 operations not served)',
    '- **Scopes** — not yet: `GET /scopes`, `DELETE /scopes/{scopeId}`',
    '## Later',
    'mentions `GET /later` outside the section',
  ].join('\n');
  const got = documentedAsNotImplemented(md);
  assert.deepEqual([...(got.get('publisher') ?? [])], ['GET /scopes', 'DELETE /scopes/{scopeId}']);
  assert.equal(got.get('devportal'), undefined);
  const replaced = withSection(md, '## REST operations not implemented\n\nnew\n');
  assert.equal(
    replaced,
    '# Doc\n## REST operations not implemented\n\nnew\n\n## Later\nmentions `GET /later` outside the section',
  );
});

test('calls: a wrong status, a stale exception, an unexcused mismatch and a lost field are each reported', async () => {
  // A bare Fastify app answering like a (partly wrong) Developer Portal: the checker is under test, not Portico.
  const app = Fastify();
  const body = { applicationId: 'a1', name: 'App', throttlingPolicy: 'Unlimited', description: 'kept' };
  app.get('/api/am/devportal/v3/applications/:applicationId', async () => body);
  app.put('/api/am/devportal/v3/applications/:applicationId', async () => ({
    ...body,
    subscriptionCount: 'x',
  }));
  const params = { applicationId: 'a1' };
  try {
    const run = await runContractCalls(
      { app } as unknown as Harness,
      'devportal',
      [
        { operation: 'GET /applications/{applicationId}', request: () => ({ params }), expect: 200 },
        { operation: 'GET /applications/{applicationId}', request: () => ({ params }), expect: 404 },
        {
          operation: 'GET /applications/{applicationId}',
          request: () => ({ params }),
          expect: 200,
          exception: { reason: 'none left' },
        },
        {
          operation: 'PUT /applications/{applicationId}',
          request: () => ({
            params,
            body: { name: 'App', throttlingPolicy: 'Unlimited', description: 'new' },
          }),
          expect: 200,
          echo: true,
          exception: { reason: 'only tokenType', errors: /tokenType/ },
        },
        { operation: 'GET /applications/{applicationId}', request: () => ({}), expect: 200 },
      ],
      { authorization: 'Basic eA==' },
    );
    assert.deepEqual(run.problems, [
      `#1 devportal GET /applications/{applicationId}: status 200, expected 404: ${JSON.stringify(body)}`,
      '#2 devportal GET /applications/{applicationId}: its known exception excuses nothing now ("none left"): remove or fix it',
      '#3 devportal PUT /applications/{applicationId}: 200 does not match the document: body.subscriptionCount should be integer',
      '#3 devportal PUT /applications/{applicationId}: its known exception excuses nothing now ("only tokenType"): remove or fix it',
      '#3 devportal PUT /applications/{applicationId}: body.description was sent but did not come back as sent',
      '#4 devportal GET /applications/{applicationId}: not called, no value for applicationId (an earlier call failed?)',
    ]);
    assert.deepEqual(
      [...run.called],
      ['devportal GET /applications/{applicationId}', 'devportal PUT /applications/{applicationId}'],
    );
  } finally {
    await app.close();
  }
});
