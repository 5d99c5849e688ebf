import { test } from 'node:test';
import assert from 'node:assert/strict';
import { testDialects } from '../../../test/support/dialects.js';
import { createHarness } from '../../../test/support/control-plane-harness.js';
import { publisherRoutes } from './index.js';
import { adminAuth, apiBody, counts, PUB } from './test-support/publisher-fixtures.js';

/** What WSO2 4.x's Publisher returns for an API that does not use these features (GET → PUT must work). */
const wso2Empty = {
  displayName: 'Petstore',
  wsdlInfo: null,
  wsdlUrl: null,
  responseCachingEnabled: false,
  cacheTimeout: 300,
  hasThumbnail: false,
  isRevision: false,
  revisionedApiId: null,
  revisionId: 0,
  enableSchemaValidation: false,
  enableSubscriberVerification: false,
  type: 'HTTP',
  audience: null,
  audiences: [],
  organizationPolicies: [],
  visibleTenants: [],
  visibleOrganizations: ['none'],
  mediationPolicies: [],
  apiPolicies: { request: [], response: [], fault: [] },
  apiHubPolicies: [],
  additionalPropertiesMap: {},
  monetization: { enabled: false, properties: {} },
  websubSubscriptionConfiguration: {
    enable: false,
    secret: '',
    signingAlgorithm: 'SHA1',
    signatureHeader: '',
  },
  workflowStatus: null,
  lastUpdatedTimestamp: '1700000000000',
  primaryProductionEndpointId: null,
  primarySandboxEndpointId: null,
  endpointImplementationType: 'ENDPOINT',
  subtypeConfiguration: { subtype: 'DEFAULT', configuration: null },
  threatProtectionPolicies: null,
  serviceInfo: null,
  advertiseInfo: {
    advertised: false,
    apiExternalProductionEndpoint: null,
    apiOwner: 'admin',
    vendor: 'WSO2',
  },
  gatewayVendor: 'wso2',
  gatewayType: 'wso2/synapse',
  initiatedFromGateway: false,
  asyncTransportProtocols: [],
  egress: false,
};

const ENDPOINTS = {
  endpoint_type: 'http',
  production_endpoints: { url: 'http://127.0.0.1:9/a', config: { actionDuration: 3000, retryDelay: '' } },
  sandbox_endpoints: { url: 'http://127.0.0.1:9/a', template_not_supported: false },
};

for (const d of await testDialects()) {
  test(`publisher APIs on ${d.name}: unsupported or unknown fields are refused with 400 naming them`, async () => {
    const h = await createHarness(await d.open(), [publisherRoutes()]);
    try {
      const before = await counts(h);
      for (const [over, named] of [
        [{ responseCachingEnabled: true }, ['responseCachingEnabled']],
        [{ mediationPolicies: [{ name: 'json_to_xml', type: 'in' }] }, ['mediationPolicies']],
        [{ type: 'GRAPHQL' }, ['type']],
        [{ monetization: { enabled: true } }, ['monetization']],
        [{ colour: 'blue', enableSchemaValidation: true }, ['colour', 'enableSchemaValidation']],
        [
          {
            maxTps: {
              production: 1,
              tokenBasedThrottlingConfiguration: { isTokenBasedThrottlingEnabled: true },
            },
          },
          ['maxTps.tokenBasedThrottlingConfiguration'],
        ],
        [{ scopes: [{ scope: { name: 'shared:one' }, shared: true }] }, ['scopes[0].shared']],
        // Inside an operation: policies and mappings Portico does not apply, and a field WSO2 does not have.
        [
          {
            operations: [
              { target: '/a', verb: 'GET' },
              {
                target: '/b',
                verb: 'POST',
                operationPolicies: { request: [{ policyName: 'addHeader' }], response: [], fault: [] },
              },
            ],
          },
          ['operations[1].operationPolicies'],
        ],
        [{ operations: [{ target: '/a', verb: 'GET', uriMapping: '/x' }] }, ['operations[0].uriMapping']],
        [{ operations: [{ target: '/a', verb: 'GET', throttling: 'Gold' }] }, ['operations[0].throttling']],
        // Inside endpointConfig: backend credentials, failover, endpoint settings Portico does not apply.
        [
          {
            endpointConfig: {
              ...ENDPOINTS,
              endpoint_security: {
                production: { enabled: true, type: 'BASIC', username: 'u', password: 'p' },
              },
            },
          },
          ['endpointConfig.endpoint_security'],
        ],
        [
          { endpointConfig: { ...ENDPOINTS, production_failovers: [{ url: 'http://127.0.0.1:9/b' }] } },
          ['endpointConfig.production_failovers'],
        ],
        [{ endpointConfig: { ...ENDPOINTS, timeout: 5 } }, ['endpointConfig.timeout']],
        [
          {
            endpointConfig: {
              endpoint_type: 'http',
              production_endpoints: { url: 'http://127.0.0.1:9/a', config: { retryTimeOut: '3' } },
            },
          },
          ['endpointConfig.production_endpoints.config.retryTimeOut'],
        ],
      ] as const) {
        const res = await h.app.inject({
          method: 'POST',
          url: `${PUB}/apis`,
          headers: adminAuth,
          payload: apiBody(over),
        });
        assert.equal(res.statusCode, 400, `${JSON.stringify(over)}: ${res.body}`);
        for (const field of named) assert.ok(res.json().description.includes(field), `${field} named`);
      }
      const unknown = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({ colour: 'blue' }),
      });
      assert.equal(unknown.json().errorCode, 'UNSUPPORTED_FIELD');
      assert.equal(unknown.json().code, 909007);
      assert.deepEqual(unknown.json().error, [
        { code: 'UNSUPPORTED_FIELD', message: 'colour is not a field of the API' },
      ]);
      assert.deepEqual(await counts(h), before, 'nothing written');

      // WSO2's values for unused features are accepted (and its read-only fields ignored), in operations too.
      const ok = await h.app.inject({
        method: 'POST',
        url: `${PUB}/apis`,
        headers: adminAuth,
        payload: apiBody({
          ...wso2Empty,
          endpointConfig: {
            ...ENDPOINTS,
            endpoint_security: {
              production: { enabled: false, type: 'basic', username: '', password: '' },
              sandbox: { enabled: false, type: 'basic', username: '', password: '' },
            },
            failOver: false,
            production_failovers: [],
          },
          operations: [
            {
              id: '',
              target: '/order',
              verb: 'POST',
              authType: 'Application & Application User',
              throttlingPolicy: 'Unlimited',
              scopes: [],
              usedProductIds: [],
              amznResourceName: null,
              amznResourceTimeout: null,
              amznResourceContentEncode: null,
              payloadSchema: null,
              uriMapping: null,
              operationPolicies: { request: [], response: [], fault: [] },
              operationHubPolicies: [],
            },
          ],
        }),
      });
      assert.equal(ok.statusCode, 201, ok.body);
      assert.equal(ok.json().displayName, undefined, 'not stored');
    } finally {
      await h.close();
    }
  });
}
