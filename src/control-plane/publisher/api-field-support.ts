import {
  isInert,
  isInertExcept,
  switchedOff,
  type FieldSupport,
  type InertValue,
} from '../http/unsupported-fields.js';

/**
 * Fields of WSO2's Publisher `API` DTO that Portico does not support, each with the values that mean "not used"
 * (what WSO2 and Portico return for an API without the feature). A client may send them so — a GET → PUT of
 * WSO2's output keeps working — but any other value is refused: Portico would otherwise drop it silently.
 */
const UNSUPPORTED: Readonly<Record<string, InertValue>> = {
  displayName: (v, body) => v === body.name || isInert(v),
  wsdlInfo: isInert,
  responseCachingEnabled: isInert,
  // WSO2 returns its default timeout (300) with caching off.
  cacheTimeout: (v, body) => !body.responseCachingEnabled || isInert(v),
  enableSchemaValidation: isInert,
  enableSubscriberVerification: isInert,
  audience: (v) => isInert(v) || v === 'PUBLIC',
  audiences: isInert,
  organizationPolicies: isInert,
  visibleTenants: isInert,
  visibleOrganizations: (v) => isInert(v) || (Array.isArray(v) && v.length === 1 && v[0] === 'none'),
  mediationPolicies: isInert,
  apiPolicies: isInert,
  apiHubPolicies: isInert,
  monetization: (v) => isInert(v) || switchedOff(v, 'enabled'),
  websubSubscriptionConfiguration: (v) => isInert(v) || switchedOff(v, 'enable'),
  primaryProductionEndpointId: isInert,
  primarySandboxEndpointId: isInert,
  endpointImplementationType: (v) => isInert(v) || v === 'ENDPOINT',
  subtypeConfiguration: (v) => isInert(v) || isInertExcept(v, { subtype: 'DEFAULT' }),
  threatProtectionPolicies: isInert,
  serviceInfo: isInert,
  advertiseInfo: (v) => isInert(v) || switchedOff(v, 'advertised'),
  asyncTransportProtocols: isInert,
  egress: isInert,
  type: (v) => isInert(v) || v === 'HTTP',
  gatewayType: (v) => isInert(v) || v === 'wso2/synapse',
  gatewayVendor: (v) => isInert(v) || v === 'wso2',
};

/** Read-only fields of the DTO (Portico's and WSO2's): accepted on input and ignored, as WSO2 does. */
const READ_ONLY: ReadonlySet<string> = new Set([
  'id',
  'provider',
  'lifeCycleStatus',
  'wsdlUrl',
  'hasThumbnail',
  'isRevision',
  'revisionedApiId',
  'revisionId',
  'workflowStatus',
  'createdTime',
  'lastUpdatedTime',
  'lastUpdatedTimestamp',
  'initiatedFromGateway',
  'additionalPropertiesMap',
]);

/** Field support of the Publisher `API` DTO, for `refuseUnsupportedFields`. */
export function apiFieldSupport(writable: readonly string[]): FieldSupport {
  return { resource: 'API', writable, readOnly: READ_ONLY, unsupported: UNSUPPORTED };
}

/**
 * WSO2 `APIOperations` fields: Portico stores a resource's verb, target, auth type, throttling policy and scopes;
 * `usedProductIds` is WSO2's read-only list of API products using it; AWS Lambda mappings, `uriMapping`,
 * `payloadSchema` and operation policies are accepted only empty, so none is dropped unseen.
 */
export const OPERATION_FIELDS: FieldSupport = {
  resource: 'API operation',
  writable: ['id', 'target', 'verb', 'authType', 'throttlingPolicy', 'scopes'],
  readOnly: new Set(['usedProductIds']),
  unsupported: {
    amznResourceName: isInert,
    amznResourceTimeout: isInert,
    amznResourceContentEncode: isInert,
    uriMapping: isInert,
    payloadSchema: isInert,
    operationPolicies: isInert,
    operationHubPolicies: isInert,
  },
};

/** `endpoint_security` with every environment's backend authentication switched off (`enabled` not true). */
const noEndpointSecurity: InertValue = (v) =>
  isInert(v) ||
  (typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    Object.values(v).every((env) => isInert(env) || switchedOff(env, 'enabled')));

/**
 * WSO2 `endpointConfig` keys: Portico proxies to one HTTP production and one sandbox endpoint; backend
 * authentication, failover and load-balancing settings are accepted only switched off or empty.
 */
export const ENDPOINT_CONFIG_FIELDS: FieldSupport = {
  resource: 'endpointConfig',
  writable: ['endpoint_type', 'production_endpoints', 'sandbox_endpoints'],
  readOnly: new Set(),
  unsupported: {
    endpoint_security: noEndpointSecurity,
    production_failovers: isInert,
    sandbox_failovers: isInert,
    failOver: isInert,
    algoCombo: isInert,
    algoClassName: isInert,
    sessionManagement: isInert,
    sessionTimeOut: isInert,
  },
};

/**
 * One endpoint of `endpointConfig`: its `url` and, in `config`, the timeout (`actionDuration`); WSO2's other
 * endpoint settings (retries, suspension) are accepted only empty.
 */
export const ENDPOINT_FIELDS: FieldSupport = {
  resource: 'endpoint',
  writable: ['url', 'config'],
  readOnly: new Set(),
  unsupported: { template_not_supported: isInert },
};

/** An endpoint's `config`: `actionDuration` is applied; any other WSO2 setting only empty. */
export const ENDPOINT_SETTINGS_FIELDS: FieldSupport = {
  resource: 'endpoint config',
  writable: ['actionDuration'],
  readOnly: new Set(),
  unsupported: Object.fromEntries(
    [
      'actionSelect',
      'retryTimeOut',
      'retryDelay',
      'retryErroCode',
      'suspendErrorCode',
      'suspendDuration',
      'suspendMaxDuration',
      'factor',
    ].map((k) => [k, isInert]),
  ),
};
