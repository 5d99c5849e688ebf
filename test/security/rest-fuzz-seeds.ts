import { selfSignedKey } from '../support/self-signed.js';

/**
 * One valid body per route that declares a body schema, keyed `METHOD /url/pattern`. The fuzz mutates one field
 * of it at a time, so a refusal is caused by that field alone. The suite checks each seed against its route's
 * schema and fails when a route with a body schema has no seed here: a new route gets a seed with its schema.
 * Seeds are never sent as they are.
 */
const api = {
  name: 'FuzzApi',
  description: 'seed',
  context: '/fuzz',
  version: '1.0.0',
  transport: ['https'],
  tags: ['t'],
  policies: ['Unlimited'],
  apiThrottlingPolicy: null,
  securityScheme: ['oauth2'],
  authorizationHeader: 'Authorization',
  apiKeyHeader: 'apikey',
  visibility: 'PUBLIC',
  visibleRoles: [],
  isDefaultVersion: false,
  endpointConfig: {
    endpoint_type: 'http',
    production_endpoints: { url: 'http://127.0.0.1:9/' },
    sandbox_endpoints: { url: 'http://127.0.0.1:9/' },
  },
  operations: [
    {
      target: '/x',
      verb: 'GET',
      authType: 'Application & Application User',
      throttlingPolicy: 'Unlimited',
      scopes: [],
    },
  ],
  scopes: [{ scope: { name: 's', displayName: 's', description: 'd', bindings: [] }, shared: false }],
  businessInformation: { businessOwner: 'o', businessOwnerEmail: 'o@example.com' },
};
const application = {
  name: 'fuzz-seed',
  throttlingPolicy: 'Unlimited',
  description: 'seed',
  tokenType: 'JWT',
  groups: ['g'],
  attributes: { a: 'b' },
};
const policy = {
  policyName: 'FuzzPolicy',
  displayName: 'Fuzz',
  description: 'seed',
  defaultLimit: {
    type: 'REQUESTCOUNTLIMIT',
    requestCount: { timeUnit: 'min', unitTime: 1, requestCount: 5 },
  },
  rateLimitCount: 0,
  rateLimitTimeUnit: null,
  stopOnQuotaReach: true,
  billingPlan: 'FREE',
  customAttributes: [],
  conditionalGroups: [],
};
const keyManager = {
  name: 'FuzzKm',
  displayName: 'Fuzz',
  type: 'OIDC',
  description: 'seed',
  enabled: true,
  issuer: 'https://fuzz.example.com',
  wellKnownEndpoint: 'https://fuzz.example.com/.well-known/openid-configuration',
  tokenEndpoint: 'https://fuzz.example.com/token',
  certificates: { type: 'JWKS', value: 'https://fuzz.example.com/jwks' },
  additionalProperties: { a: 'b' },
  claimMapping: [{ remoteClaim: 'sub', localClaim: 'sub' }],
  consumerKeyClaim: 'azp',
  scopesClaim: 'scope',
  availableGrantTypes: ['client_credentials'],
  tokenValidationMethod: 'jwks',
  enableSelfValidationJWT: true,
  enableTokenGeneration: true,
  enableOAuthAppCreation: true,
  enableMapOAuthConsumerApps: true,
  permissions: { permissionType: 'PUBLIC', roles: [] },
};
const subscription = { applicationId: 'a', apiId: 'b', throttlingPolicy: 'Unlimited' };
const sharedScope = {
  name: 'fuzz:seed',
  displayName: 'Fuzz',
  description: 'seed',
  bindings: ['admin', 'Internal/subscriber'],
};
const deployment = [{ name: 'Default', vhost: 'localhost', displayOnDevportal: true }];
const webhook = {
  url: 'https://hooks.example.com/portico',
  description: 'seed',
  events: ['apikey.revoked', 'client-secret.rotated'],
  enabled: true,
};
const DP = '/api/am/devportal/v3';
const PUB = '/api/am/publisher/v4';
const ADM = '/api/am/admin/v4';

export const SEEDS: Readonly<Record<string, unknown>> = {
  'POST /internal/data/v1/gateways/heartbeat': {
    id: 'gw-seed',
    address: 'https://127.0.0.1:8243',
    softwareVersion: '0.1.0',
    appliedVersion: 1,
    appliedAt: 1,
    source: 'live',
    startedAt: 1,
  },
  // Usage analytics (issue 14): one gateway flush.
  'POST /internal/data/v1/usage': {
    flushId: '0b6f3c1e-2d4a-4f7e-9c1b-5a6d7e8f9a0b',
    aggregates: [
      {
        minute: 1_764_756_000_000,
        apiId: 'api-seed',
        apiName: 'Seed',
        apiVersion: '1.0.0',
        applicationId: 'app-seed',
        applicationName: 'SeedApp',
        keyKind: 'api-key',
        keyId: 'jti-seed',
        keyType: 'PRODUCTION',
        statusClass: '2xx',
        count: 3,
        latency: [[4, 3]],
      },
    ],
  },
  // The leak-report endpoint is off in the fuzz harness (404 before any body is read); the seed keeps its schema
  // honest all the same.
  ['POST /api/portico/v1/leak-reports']: [
    {
      token: 'portico_0123456789ABCDEFGHIJKLMNOPQRSTUV_21Ckg9',
      type: 'portico_api_key',
      url: 'https://github.com/octocat/hello/blob/0123abc/.env',
      source: 'content',
    },
  ],
  [`POST ${ADM}/users`]: { username: 'fuzz-seed', password: 'fuzz-password-1', roles: ['subscriber'] },
  [`PUT ${ADM}/users/:username/roles`]: { roles: ['subscriber'] },
  [`POST ${DP}/sign-up`]: { username: 'fuzz-signup', password: 'fuzz-password-1', email: 'f@example.com' },
  ['POST /client-registration/v0.17/register']: {
    clientName: 'fuzz_client',
    owner: 'admin',
    grantType: 'client_credentials',
    saasApp: true,
    tokenType: 'JWT',
    callbackUrl: 'https://cb.example.com/',
  },
  [`POST ${DP}/applications`]: application,
  [`PUT ${DP}/applications/:applicationId`]: application,
  [`POST ${DP}/applications/:applicationId/generate-keys`]: {
    keyType: 'SANDBOX',
    keyManager: 'Resident Key Manager',
    grantTypesToBeSupported: ['client_credentials'],
    callbackUrl: 'https://cb.example.com/',
    scopes: ['default'],
    validityTime: '3600',
    additionalProperties: { a: 'b' },
  },
  [`POST ${DP}/applications/:applicationId/map-keys`]: {
    consumerKey: 'ck',
    consumerSecret: 'cs',
    keyManager: 'Resident Key Manager',
    keyType: 'SANDBOX',
  },
  [`PUT ${DP}/applications/:applicationId/oauth-keys/:keyMappingId`]: {
    supportedGrantTypes: ['client_credentials'],
    callbackUrl: 'https://cb.example.com/',
    additionalProperties: { a: 'b' },
  },
  [`POST ${DP}/applications/:applicationId/oauth-keys/:keyMappingId/generate-token`]: {
    consumerSecret: 'cs',
    validityPeriod: 3600,
    scopes: ['default'],
    revokeToken: null,
    grantType: 'CLIENT_CREDENTIALS',
    additionalProperties: { a: 'b' },
  },
  [`PUT ${DP}/applications/:applicationId/keys/:keyType`]: {
    supportedGrantTypes: ['client_credentials'],
    callbackUrl: 'https://cb.example.com/',
    additionalProperties: { a: 'b' },
  },
  [`POST ${DP}/applications/:applicationId/keys/:keyType/generate-token`]: {
    consumerSecret: 'cs',
    validityPeriod: 3600,
    scopes: ['default'],
    revokeToken: null,
    grantType: 'CLIENT_CREDENTIALS',
    additionalProperties: { a: 'b' },
  },
  [`POST ${DP}/applications/:applicationId/oauth-keys/:keyMappingId/generate-secret`]: {
    additionalProperties: { description: 'ci', expiresIn: 3600 },
  },
  [`POST ${DP}/applications/:applicationId/oauth-keys/:keyMappingId/revoke-secret`]: {
    secretId: 'x',
    additionalProperties: { a: 'b' },
  },
  [`POST ${DP}/subscriptions`]: subscription,
  [`POST ${DP}/subscriptions/multiple`]: [subscription],
  [`PUT ${DP}/subscriptions/:subscriptionId`]: subscription,
  [`POST ${DP}/applications/:applicationId/api-keys/:keyType/revoke`]: { apikey: 'x.y.z' },
  [`POST ${DP}/apis/:apiId/api-keys/regenerate`]: { keyUUID: 'seed', gracePeriod: 0 },
  [`POST ${DP}/apis/:apiId/api-keys/revoke`]: { keyUUID: 'seed' },
  [`POST ${DP}/apis/:apiId/api-keys/associate`]: { keyUUID: 'seed', applicationUUID: 'seed' },
  [`POST ${DP}/apis/:apiId/api-keys/dissociate`]: { keyUUID: 'seed' },
  [`POST ${DP}/applications/:applicationId/api-keys/:keyType/associate`]: {
    keyUUID: 'seed',
    apiUUID: 'seed',
  },
  [`POST ${DP}/applications/:applicationId/api-keys/:keyType/dissociate`]: { keyUUID: 'seed' },
  [`POST ${PUB}/apis`]: api,
  [`PUT ${PUB}/apis/:apiId`]: api,
  [`POST ${PUB}/apis/import-openapi`]: {
    definition: { openapi: '3.0.1', info: { title: 'T', version: '1' }, paths: {} },
    additionalProperties: { context: '/imported' },
  },
  // Multipart-only routes without a body schema (apictl project zips): the fuzz sends them multipart variants, and
  // test/security/project-archive-attacks.test.ts sends them hostile archives. The seed names the form field.
  [`POST ${PUB}/apis/import`]: { file: 'project.zip' },
  [`POST ${DP}/applications/import`]: { file: 'project.zip' },
  [`PUT ${PUB}/apis/:apiId/swagger`]: { apiDefinition: { openapi: '3.0.1', paths: {} } },
  [`POST ${PUB}/apis/:apiId/revisions`]: { description: 'seed' },
  [`POST ${PUB}/apis/:apiId/deploy-revision`]: deployment,
  [`POST ${PUB}/apis/:apiId/undeploy-revision`]: deployment,
  [`PUT ${PUB}/apis/:apiId/deployments/:deploymentId`]: {
    revisionUuid: '00000000-0000-0000-0000-000000000001',
    name: 'Default',
    vhost: 'localhost',
    displayOnDevportal: true,
  },
  [`POST ${ADM}/key-managers`]: keyManager,
  [`POST ${ADM}/trust-store/certificates`]: {
    alias: 'fuzz-seed',
    certificate: selfSignedKey('fuzz-seed').certificatePem,
  },
  [`PUT ${ADM}/key-managers/:keyManagerId`]: keyManager,
  [`POST ${ADM}/key-managers/discover`]: { url: 'https://fuzz.example.com/', type: 'OIDC' },
  [`POST ${ADM}/webhooks`]: webhook,
  [`PUT ${ADM}/webhooks/:webhookId`]: webhook,
  ...Object.fromEntries(
    ['subscription', 'application', 'advanced'].flatMap((level) => [
      [`POST ${ADM}/throttling/policies/${level}`, policy],
      [`PUT ${ADM}/throttling/policies/${level}/:policyId`, policy],
    ]),
  ),
  // Scopes (issue 13).
  [`POST ${PUB}/scopes`]: sharedScope,
  [`PUT ${PUB}/scopes/:scopeId`]: sharedScope,
  [`PUT ${ADM}/system-scopes`]: { count: 1, list: [{ name: 'apim:api_view', roles: ['admin'] }] },
  [`PUT ${ADM}/system-scopes/role-aliases`]: {
    count: 1,
    list: [{ role: 'Internal/subscriber', aliases: ['subscriber'] }],
  },
};
