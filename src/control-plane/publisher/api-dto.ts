import {
  bad,
  business,
  endpoints,
  isObject,
  operationList,
  scopeList,
  str,
  strList,
  type ApiOperation,
  type ApiScope,
  type BusinessInformation,
  type EndpointConfig,
  type Problems,
} from './api-dto-fields.js';
import { RestError } from '../../core/index.js';
import { refuseUnsupportedFields } from '../http/unsupported-fields.js';
import { apiFieldSupport } from './api-field-support.js';
import { parseStoredFields, STORED_FIELDS, type ApiStoredFields } from './api-stored-fields.js';

export { AUTH_TYPES, VERBS, isHttpUrl, isObject } from './api-dto-fields.js';
export type {
  ApiOperation,
  ApiScope,
  BusinessInformation,
  EndpointConfig,
  EndpointDef,
} from './api-dto-fields.js';

/**
 * The Publisher v4 API DTO as Portico stores it in `apis.definition` and returns it. Context is stored without the
 * version (`/pizzashack`), like WSO2's Publisher shows it. Wire contract: change the docs and tests together.
 */
export interface ApiDto extends ApiStoredFields {
  id: string;
  name: string;
  description: string;
  context: string;
  version: string;
  provider: string;
  lifeCycleStatus: string;
  type: 'HTTP';
  transport: string[];
  tags: string[];
  policies: string[];
  apiThrottlingPolicy: string | null;
  securityScheme: string[];
  authorizationHeader: string;
  apiKeyHeader: string;
  visibility: 'PUBLIC' | 'PRIVATE' | 'RESTRICTED';
  visibleRoles: string[];
  isDefaultVersion: boolean;
  endpointConfig: EndpointConfig | null;
  operations: ApiOperation[];
  scopes: ApiScope[];
  businessInformation: BusinessInformation;
  createdTime: string;
  lastUpdatedTime: string;
}

export const SECURITY_SCHEMES = ['oauth2', 'api_key', 'basic_auth', 'oauth_basic_auth_api_key_mandatory'];
const VISIBILITIES = ['PUBLIC', 'PRIVATE', 'RESTRICTED'] as const;
const TRANSPORTS = ['http', 'https'];

// WSO2 rejects these characters in API names and versions (APIUtil.isContainSpecialCharacters).
const NAME_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/]{1,60}$/;
const VERSION_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/\s]{1,30}$/;
// Segments of letters, digits, _ . ~ -, and at most one `{version}` segment (WSO2 context template).
const CONTEXT_RE = /^(\/([A-Za-z0-9_.~-]+|\{version\}))+$/;
const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

/** Fields a client may set; read-only ones (id, provider, lifeCycleStatus, times) are taken from the store. */
const WRITABLE = [
  'name',
  'description',
  'context',
  'version',
  'transport',
  'tags',
  'policies',
  'apiThrottlingPolicy',
  'securityScheme',
  'authorizationHeader',
  'apiKeyHeader',
  'visibility',
  'visibleRoles',
  'isDefaultVersion',
  'endpointConfig',
  'operations',
  'scopes',
  'businessInformation',
  ...STORED_FIELDS,
] as const;

const API_FIELDS = apiFieldSupport(WRITABLE);

export type ApiInput = Partial<Pick<ApiDto, (typeof WRITABLE)[number]>>;

/**
 * Validates a client's API DTO (merged over `base` for a PUT) and returns the normalized writable fields.
 * Reference checks needing the store (policies exist, uniqueness) are done by the service.
 * @throws RestError UNSUPPORTED_FIELD (a field Portico does not support, set), VALIDATION_FAILED listing every
 * problem found.
 */
export function normalizeApiInput(raw: unknown, base?: ApiInput): Required<ApiInput> {
  if (!isObject(raw)) throw new RestError('VALIDATION_FAILED', 'The request body must be an API object');
  refuseUnsupportedFields(raw, API_FIELDS);
  const p: Problems = [];
  const src: Record<string, unknown> = { ...(base ?? {}) };
  for (const k of WRITABLE) if (raw[k] !== undefined) src[k] = raw[k];

  const name = str(src.name, 'name', p, { required: true });
  if (name !== undefined && !NAME_RE.test(name))
    p.push(bad('name', 'must be 1-60 characters without ~!@#;:%^*()+={}|\\<>"\',&$[]/'));
  const version = str(src.version, 'version', p, { required: true });
  if (version !== undefined && !VERSION_RE.test(version))
    p.push(bad('version', 'must be 1-30 characters without spaces or special characters'));
  let context = str(src.context, 'context', p, { required: true });
  if (context !== undefined) {
    // WSO2 shows `/pizzashack/{version}` as `/pizzashack`: a trailing placeholder is where the version goes anyway.
    context = context.replace(/\/+$/, '');
    if (context.split('{version}').length === 2) context = context.replace(/\/\{version\}$/, '');
    if (!context.startsWith('/')) p.push(bad('context', "must start with '/' and name more than {version}"));
    else if (!CONTEXT_RE.test(context) || context.split('{version}').length > 2 || context === '/{version}')
      p.push(
        bad(
          'context',
          'must be a path of letters, digits, _ . ~ - (no spaces, no empty segments), with at most one {version} segment',
        ),
      );
  }
  const description = str(src.description, 'description', p) ?? '';

  const transport = strList(src.transport, 'transport', p) ?? ['http', 'https'];
  if (transport.length === 0 || transport.some((t) => !TRANSPORTS.includes(t)))
    p.push(bad('transport', "must be a non-empty subset of ['http','https']"));
  const tags = strList(src.tags, 'tags', p) ?? [];
  const policies = strList(src.policies, 'policies', p) ?? ['Unlimited'];
  const apiThrottlingPolicy =
    src.apiThrottlingPolicy === null || src.apiThrottlingPolicy === ''
      ? null
      : (str(src.apiThrottlingPolicy, 'apiThrottlingPolicy', p) ?? null);
  const securityScheme = strList(src.securityScheme, 'securityScheme', p) ?? ['oauth2'];
  const unknownSchemes = securityScheme.filter((s) => !SECURITY_SCHEMES.includes(s));
  if (unknownSchemes.length)
    p.push(
      bad(
        'securityScheme',
        `unknown scheme(s) ${unknownSchemes.join(', ')}; use ${SECURITY_SCHEMES.join(', ')}`,
      ),
    );
  if (!securityScheme.some((s) => s === 'oauth2' || s === 'api_key' || s === 'basic_auth'))
    p.push(bad('securityScheme', "needs at least one of 'oauth2', 'api_key', 'basic_auth'"));
  const authorizationHeader = str(src.authorizationHeader, 'authorizationHeader', p) || 'Authorization';
  const apiKeyHeader = str(src.apiKeyHeader, 'apiKeyHeader', p) || 'apikey';
  for (const [k, v] of [
    ['authorizationHeader', authorizationHeader],
    ['apiKeyHeader', apiKeyHeader],
  ] as const)
    if (!HEADER_RE.test(v)) p.push(bad(k, 'must be an HTTP header name'));
  const visibility = (str(src.visibility, 'visibility', p) ?? 'PUBLIC') as ApiDto['visibility'];
  if (!VISIBILITIES.includes(visibility))
    p.push(bad('visibility', `must be one of ${VISIBILITIES.join(', ')}`));
  const visibleRoles = strList(src.visibleRoles, 'visibleRoles', p) ?? [];
  if (src.isDefaultVersion !== undefined && typeof src.isDefaultVersion !== 'boolean')
    p.push(bad('isDefaultVersion', 'must be a boolean'));
  const isDefaultVersion = src.isDefaultVersion === true;
  const endpointConfig = endpoints(src.endpointConfig, p);
  const scopes = scopeList(src.scopes, p);
  const declared = new Set(scopes.map((s) => s.scope.name));
  const operations = operationList(src.operations, declared, p);
  const businessInformation = business(src.businessInformation, p);
  const storedFields = parseStoredFields(src, p);

  if (p.length) throw new RestError('VALIDATION_FAILED', p.map((x) => x.message).join('; '), p);
  return {
    name: name as string,
    description,
    context: context as string,
    version: version as string,
    transport: [...new Set(transport)],
    tags: [...new Set(tags)],
    policies: [...new Set(policies)],
    apiThrottlingPolicy,
    securityScheme: [...new Set(securityScheme)],
    authorizationHeader,
    apiKeyHeader,
    visibility,
    visibleRoles,
    isDefaultVersion,
    endpointConfig,
    operations,
    scopes,
    businessInformation,
    ...storedFields,
  };
}
