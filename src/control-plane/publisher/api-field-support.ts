import { RestError } from '../../core/index.js';

/**
 * Fields of WSO2's Publisher `API` DTO that Portico does not support, each with the values that mean "not used"
 * (what WSO2 and Portico return for an API without the feature). A client may send them so — a GET → PUT of
 * WSO2's output keeps working — but any other value is refused: Portico would otherwise drop it silently.
 */
const UNSUPPORTED: Readonly<Record<string, (v: unknown, body: Record<string, unknown>) => boolean>> = {
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
const READ_ONLY = new Set([
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

/**
 * Refuses a body that sets a field Portico does not support, or a field that is not in the API DTO at all
 * (`writable` lists the ones Portico stores). Every offending field is named.
 * @throws RestError UNSUPPORTED_FIELD
 */
export function refuseUnsupportedFields(body: Record<string, unknown>, writable: readonly string[]): void {
  const problems = Object.entries(body).flatMap(([k, v]) => {
    if (writable.includes(k) || READ_ONLY.has(k)) return [];
    const accepts = UNSUPPORTED[k];
    if (accepts?.(v, body)) return [];
    return [
      {
        code: 'UNSUPPORTED_FIELD',
        message: accepts
          ? `${k} is not supported by Portico; leave it out or send WSO2's empty value`
          : `${k} is not a field of the API`,
      },
    ];
  });
  if (problems.length)
    throw new RestError('UNSUPPORTED_FIELD', problems.map((x) => x.message).join('; '), problems);
}

/** null, false, '', an empty array, or an object of such values: the feature is not used. */
function isInert(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '') return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isInert);
  return false;
}

/** An object whose on/off switch `flag` is not on (its other settings then have no effect). */
function switchedOff(v: unknown, flag: string): boolean {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[flag] !== true
  );
}

/** An object that is inert apart from the listed keys holding exactly the listed values. */
function isInertExcept(v: unknown, allowed: Record<string, string>): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => isInert(x) || allowed[k] === x);
}
