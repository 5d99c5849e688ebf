import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegisteredRoute } from '../../src/control-plane/index.js';
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
