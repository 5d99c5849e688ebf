import { AUTH_TYPE_APP_AND_USER, RestError } from '../../core/index.js';

/** One resource of an API (WSO2 `APIOperations`). */
export interface ApiOperation {
  id?: string;
  target: string;
  verb: string;
  authType: string;
  throttlingPolicy: string;
  scopes: string[];
}

/** A local scope of an API with its role bindings (WSO2 `APIScope`). */
export interface ApiScope {
  scope: { id?: string; name: string; displayName: string; description: string; bindings: string[] };
  shared: boolean;
}

export interface EndpointDef {
  url: string;
  config?: { actionDuration?: number };
}

export interface EndpointConfig {
  endpoint_type: 'http';
  production_endpoints?: EndpointDef;
  sandbox_endpoints?: EndpointDef;
}

export interface BusinessInformation {
  businessOwner?: string;
  businessOwnerEmail?: string;
  technicalOwner?: string;
  technicalOwnerEmail?: string;
}

/**
 * The Publisher v4 API DTO as Portico stores it in `apis.definition` and returns it. Context is stored without the
 * version (`/pizzashack`), like WSO2's Publisher shows it. Wire contract: change the docs and tests together.
 */
export interface ApiDto {
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
export const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
export const AUTH_TYPES = [AUTH_TYPE_APP_AND_USER, 'Application', 'Application User', 'None'];
const VISIBILITIES = ['PUBLIC', 'PRIVATE', 'RESTRICTED'] as const;
const TRANSPORTS = ['http', 'https'];

// WSO2 rejects these characters in API names and versions (APIUtil.isContainSpecialCharacters).
const NAME_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/]{1,60}$/;
const VERSION_RE = /^[^~!@#;:%^*()+={}|\\<>"',&$[\]/\s]{1,30}$/;
const CONTEXT_RE = /^(\/[A-Za-z0-9_.~-]+)+$/;
const TARGET_RE = /^\/[^\s?#]*$/;
const SCOPE_RE = /^[A-Za-z0-9:_.-]{1,100}$/;
const HEADER_RE = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

type Problems = { code: string; message: string }[];

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
] as const;

export type ApiInput = Partial<Pick<ApiDto, (typeof WRITABLE)[number]>>;

/**
 * Validates a client's API DTO (merged over `base` for a PUT) and returns the normalized writable fields.
 * Reference checks needing the store (policies exist, uniqueness) are done by the service.
 * @throws RestError VALIDATION_FAILED listing every problem found.
 */
export function normalizeApiInput(raw: unknown, base?: ApiInput): Required<ApiInput> {
  if (!isObject(raw)) throw new RestError('VALIDATION_FAILED', 'The request body must be an API object');
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
    context = context.replace(/\/+$/, '');
    if (!context.startsWith('/')) p.push(bad('context', "must start with '/'"));
    else if (!CONTEXT_RE.test(context))
      p.push(bad('context', 'must be a path of letters, digits, _ . ~ - (no spaces, no empty segments)'));
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
    p.push(bad('securityScheme', `unknown scheme(s) ${unknownSchemes.join(', ')}; use ${SECURITY_SCHEMES.join(', ')}`));
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
  if (!VISIBILITIES.includes(visibility)) p.push(bad('visibility', `must be one of ${VISIBILITIES.join(', ')}`));
  const visibleRoles = strList(src.visibleRoles, 'visibleRoles', p) ?? [];
  if (src.isDefaultVersion !== undefined && typeof src.isDefaultVersion !== 'boolean')
    p.push(bad('isDefaultVersion', 'must be a boolean'));
  const isDefaultVersion = src.isDefaultVersion === true;
  const endpointConfig = endpoints(src.endpointConfig, p);
  const scopes = scopeList(src.scopes, p);
  const declared = new Set(scopes.map((s) => s.scope.name));
  const operations = operationList(src.operations, declared, p);
  const businessInformation = business(src.businessInformation, p);

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
  };
}

function endpoints(v: unknown, p: Problems): EndpointConfig | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) {
    p.push(bad('endpointConfig', 'must be an object'));
    return null;
  }
  if (v.endpoint_type !== undefined && v.endpoint_type !== 'http')
    p.push(bad('endpointConfig.endpoint_type', "must be 'http'"));
  const out: EndpointConfig = { endpoint_type: 'http' };
  for (const key of ['production_endpoints', 'sandbox_endpoints'] as const) {
    const e = v[key];
    if (e === undefined || e === null) continue;
    if (!isObject(e) || typeof e.url !== 'string' || !isHttpUrl(e.url)) {
      p.push(bad(`endpointConfig.${key}.url`, 'must be an http(s) URL'));
      continue;
    }
    const def: EndpointDef = { url: e.url };
    if (isObject(e.config) && e.config.actionDuration !== undefined) {
      const ms = Number(e.config.actionDuration);
      if (!Number.isInteger(ms) || ms <= 0)
        p.push(bad(`endpointConfig.${key}.config.actionDuration`, 'must be a positive number of milliseconds'));
      else def.config = { actionDuration: ms };
    }
    out[key] = def;
  }
  return out;
}

function scopeList(v: unknown, p: Problems): ApiScope[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    p.push(bad('scopes', 'must be an array'));
    return [];
  }
  const out: ApiScope[] = [];
  const seen = new Set<string>();
  v.forEach((item: unknown, i) => {
    const s = isObject(item) && isObject(item.scope) ? item.scope : null;
    if (!s || typeof s.name !== 'string' || !SCOPE_RE.test(s.name)) {
      p.push(bad(`scopes[${i}].scope.name`, 'is required: letters, digits, : _ . -'));
      return;
    }
    if (seen.has(s.name)) p.push(bad(`scopes[${i}].scope.name`, `duplicates scope ${s.name}`));
    seen.add(s.name);
    const bindings = strList(s.bindings, `scopes[${i}].scope.bindings`, p) ?? [];
    out.push({
      scope: {
        ...(typeof s.id === 'string' && s.id ? { id: s.id } : {}),
        name: s.name,
        displayName: typeof s.displayName === 'string' && s.displayName ? s.displayName : s.name,
        description: typeof s.description === 'string' ? s.description : '',
        bindings,
      },
      shared: false,
    });
  });
  return out;
}

function operationList(v: unknown, declared: Set<string>, p: Problems): ApiOperation[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    p.push(bad('operations', 'must be an array'));
    return [];
  }
  const out: ApiOperation[] = [];
  const seen = new Set<string>();
  v.forEach((item: unknown, i) => {
    const at = `operations[${i}]`;
    if (!isObject(item)) {
      p.push(bad(at, 'must be an object'));
      return;
    }
    const verb = typeof item.verb === 'string' ? item.verb.toUpperCase() : '';
    if (!VERBS.includes(verb)) p.push(bad(`${at}.verb`, `must be one of ${VERBS.join(', ')}`));
    const target = typeof item.target === 'string' ? item.target : '';
    if (!TARGET_RE.test(target)) p.push(bad(`${at}.target`, "must start with '/' and contain no spaces"));
    if (seen.has(`${verb} ${target}`)) p.push(bad(at, `duplicates ${verb} ${target}`));
    seen.add(`${verb} ${target}`);
    let authType = item.authType === undefined || item.authType === null ? AUTH_TYPE_APP_AND_USER : item.authType;
    // WSO2 writes "Any" in some definitions for the secured default.
    if (authType === 'Any') authType = AUTH_TYPE_APP_AND_USER;
    if (typeof authType !== 'string' || !AUTH_TYPES.includes(authType))
      p.push(bad(`${at}.authType`, `must be one of ${AUTH_TYPES.join(', ')}`));
    const tp = item.throttlingPolicy;
    const throttlingPolicy = tp === undefined || tp === null || tp === '' ? 'Unlimited' : tp;
    if (typeof throttlingPolicy !== 'string') p.push(bad(`${at}.throttlingPolicy`, 'must be a string'));
    const scopes = strList(item.scopes, `${at}.scopes`, p) ?? [];
    for (const s of scopes)
      if (!declared.has(s)) p.push(bad(`${at}.scopes`, `scope ${s} is not declared in the API's scopes`));
    out.push({
      ...(typeof item.id === 'string' && item.id ? { id: item.id } : {}),
      target,
      verb,
      authType: String(authType),
      throttlingPolicy: String(throttlingPolicy),
      scopes,
    });
  });
  return out;
}

function business(v: unknown, p: Problems): BusinessInformation {
  if (v === undefined || v === null) return {};
  if (!isObject(v)) {
    p.push(bad('businessInformation', 'must be an object'));
    return {};
  }
  const out: BusinessInformation = {};
  for (const k of ['businessOwner', 'businessOwnerEmail', 'technicalOwner', 'technicalOwnerEmail'] as const) {
    const s = str(v[k], `businessInformation.${k}`, p);
    if (s) out[k] = s;
  }
  return out;
}

function str(v: unknown, field: string, p: Problems, o: { required?: boolean } = {}): string | undefined {
  if (v === undefined || v === null || v === '') {
    if (o.required) p.push(bad(field, 'is required'));
    return undefined;
  }
  if (typeof v !== 'string') {
    p.push(bad(field, 'must be a string'));
    return undefined;
  }
  if (v.length > 10_000) p.push(bad(field, 'is too long'));
  return v.trim() === v ? v : v.trim();
}

function strList(v: unknown, field: string, p: Problems): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
    p.push(bad(field, 'must be an array of strings'));
    return undefined;
  }
  return v as string[];
}

/** True for an absolute http: or https: URL. */
export function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const bad = (field: string, what: string) => ({ code: 'VALIDATION_FAILED', message: `${field} ${what}` });
