import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import {
  adminBasic,
  createApplication,
  dumpDatabase,
  fullHarness,
} from '../../../test/support/full-control-plane.js';

const DP = '/api/am/devportal/v3';
const PUB = '/api/am/publisher/v4';
const ADM = '/api/am/admin/v4';

const validationFailed = (message: string) => ({
  code: 909001,
  message: 'Bad Request',
  description: message,
  moreInfo: '',
  error: [{ code: 'VALIDATION_FAILED', message }],
  errorCode: 'VALIDATION_FAILED',
});

const api = (over: Record<string, unknown>) => ({
  name: 'TextApi',
  context: '/text',
  version: '1.0.0',
  endpointConfig: { endpoint_type: 'http', production_endpoints: { url: 'http://127.0.0.1:9/x' } },
  operations: [{ target: '/x', verb: 'GET' }],
  ...over,
});
const policy = (over: Record<string, unknown>) => ({
  policyName: 'TextPolicy',
  defaultLimit: {
    type: 'REQUESTCOUNTLIMIT',
    requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 5 },
  },
  ...over,
});
const keyManager = (over: Record<string, unknown>) => ({
  name: 'TextKm',
  type: 'custom',
  issuer: 'https://idp.example.com/text',
  ...over,
});

for (const d of await testDialects()) {
  test(`text fields refuse control, bidi and lone-surrogate characters naming the field, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const auth = adminBasic();
      const appId = await createApplication(h, 'text-app');
      const before = await dumpDatabase(h.store);
      const cases: { url: string; method?: 'POST' | 'PUT'; body: unknown; message: string }[] = [
        {
          url: `${DP}/applications`,
          body: { name: 'a\u0000b', throttlingPolicy: 'Unlimited' },
          message: 'name must not contain control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'line\nbreak', throttlingPolicy: 'Unlimited' },
          message: 'name must not contain control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'next\u0085line', throttlingPolicy: 'Unlimited' },
          message: 'name must not contain control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'invoice\u202Efdp.exe', throttlingPolicy: 'Unlimited' },
          message: 'name must not contain bidirectional control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'isolate\u2067x', throttlingPolicy: 'Unlimited' },
          message: 'name must not contain bidirectional control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'ok', throttlingPolicy: 'Unlimited', description: 'half \ud800 a pair' },
          message: 'description must not contain lone surrogates',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'ok', throttlingPolicy: 'Unlimited', description: 'multi-line yes, NUL no\u0000' },
          message: 'description must not contain control characters',
        },
        {
          url: `${DP}/applications`,
          body: { name: 'ok', throttlingPolicy: 'Unlimited', attributes: { 'k\u0000': 'v' } },
          message: 'attributes must not contain control characters in a property name',
        },
        {
          url: `${DP}/applications/${appId}`,
          method: 'PUT',
          body: { name: 'renamed', throttlingPolicy: 'Unlimited', groups: ['g\u202Dx'] },
          message: 'groups[0] must not contain bidirectional control characters',
        },
        {
          url: `${DP}/applications/${appId}/generate-keys`,
          body: {
            keyType: 'PRODUCTION',
            grantTypesToBeSupported: ['client_credentials'],
            callbackUrl: 'https://app.example.com/cb\u0000',
          },
          message: 'callbackUrl must not contain control characters',
        },
        {
          url: `${PUB}/apis`,
          body: api({ name: 'Text\u202EApi' }),
          message: 'name must not contain bidirectional control characters',
        },
        {
          url: `${PUB}/apis`,
          body: api({ description: 'bad \udc00 low half' }),
          message: 'description must not contain lone surrogates',
        },
        {
          url: `${PUB}/apis`,
          body: api({ operations: [{ target: '/x\u0000', verb: 'GET' }] }),
          message: 'operations[0].target must not contain control characters',
        },
        {
          url: `${ADM}/throttling/policies/application`,
          body: policy({ description: 'nul\u0000' }),
          message: 'description must not contain control characters',
        },
        {
          url: `${ADM}/throttling/policies/subscription`,
          body: policy({ displayName: 'Gold\u2066' }),
          message: 'displayName must not contain bidirectional control characters',
        },
        {
          url: '/client-registration/v0.17/register',
          body: { clientName: 'rest\ud83dclient', owner: 'admin' },
          message: 'clientName must not contain lone surrogates',
        },
        {
          url: '/client-registration/v0.17/register',
          body: { clientName: 'rest_client', callbackUrl: 'https://x.example.com/\u001b[2J' },
          message: 'callbackUrl must not contain control characters',
        },
        {
          url: `${ADM}/key-managers`,
          body: keyManager({ displayName: 'Text\u202AKm' }),
          message: 'displayName must not contain bidirectional control characters',
        },
        {
          url: `${ADM}/key-managers`,
          body: keyManager({ additionalProperties: { client_id: 'x\u0007' } }),
          message: 'additionalProperties.client_id must not contain control characters',
        },
      ];
      for (const c of cases) {
        const res = await h.app.inject({
          method: c.method ?? 'POST',
          url: c.url,
          headers: { authorization: auth, 'content-type': 'application/json' },
          payload: JSON.stringify(c.body),
        });
        assert.equal(res.statusCode, 400, `${c.url} ${c.message}: ${res.body}`);
        assert.deepEqual(res.json(), validationFailed(c.message), c.url);
      }

      const deep = '['.repeat(100) + ']'.repeat(100);
      const nested = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: { authorization: auth, 'content-type': 'application/json' },
        payload: `{"name":"deep","throttlingPolicy":"Unlimited","attributes":${deep}}`,
      });
      assert.equal(nested.statusCode, 400, nested.body);
      assert.deepEqual(nested.json(), validationFailed('The body is nested more than 64 levels deep'));

      assert.deepEqual(await dumpDatabase(h.store), before, 'no refused request wrote anything');
    } finally {
      await h.close();
    }
  });

  test(`documented multi-line fields keep tabs and line breaks; marks like RLM stay allowed, on ${d.name}`, async () => {
    const h = await fullHarness(await d.open());
    try {
      const res = await h.app.inject({
        method: 'POST',
        url: `${DP}/applications`,
        headers: { authorization: adminBasic() },
        payload: {
          name: 'שלום\u200F 2',
          throttlingPolicy: 'Unlimited',
          description: 'line one\r\nline two\n\tindented 😀',
        },
      });
      assert.equal(res.statusCode, 201, res.body);
      const got = await h.app.inject({
        url: `${DP}/applications/${res.json().applicationId}`,
        headers: { authorization: adminBasic() },
      });
      assert.equal(got.json().name, 'שלום\u200F 2');
      assert.equal(got.json().description, 'line one\r\nline two\n\tindented 😀');
    } finally {
      await h.close();
    }
  });
}
