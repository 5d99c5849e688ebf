import { AUTH_TYPE_APP_AND_USER, RestError, gatewayPathOf } from '../../core/index.js';
import { isObject, VERBS, type ApiDto, type ApiScope } from './api-dto.js';
import { parseDefinitionText } from './definition-text.js';

type Json = Record<string, unknown>;

/**
 * The OpenAPI 3.0 document of an API, generated from its operations, with WSO2's `x-auth-type`,
 * `x-throttling-tier` and `x-wso2-*` extensions and an OAuth2 `default` security scheme holding the API's scopes.
 */
export function toOpenApi(dto: ApiDto): Json {
  const paths: Record<string, Json> = {};
  for (const op of dto.operations) {
    const params = [...op.target.matchAll(/\{([^}]+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      style: 'simple',
      explode: false,
      schema: { type: 'string' },
    }));
    const path = (paths[op.target] ??= {});
    path[op.verb.toLowerCase()] = {
      ...(params.length ? { parameters: params } : {}),
      responses: { '200': { description: 'OK' } },
      security: [{ default: op.scopes }],
      'x-auth-type': op.authType,
      'x-throttling-tier': op.throttlingPolicy,
      'x-wso2-application-security': {
        'security-types': dto.securityScheme.filter((s) => s !== 'oauth_basic_auth_api_key_mandatory'),
        optional: false,
      },
    };
  }
  const scopes: Record<string, string> = {};
  const bindings: Record<string, string> = {};
  for (const s of dto.scopes) {
    scopes[s.scope.name] = s.scope.description;
    bindings[s.scope.name] = s.scope.bindings.join(',');
  }
  const ep = dto.endpointConfig;
  return {
    openapi: '3.0.1',
    info: { title: dto.name, description: dto.description, version: dto.version },
    servers: [{ url: '/' }],
    security: [{ default: [] }],
    paths,
    components: {
      securitySchemes: {
        default: {
          type: 'oauth2',
          flows: {
            implicit: { authorizationUrl: 'https://test.com', scopes, 'x-scopes-bindings': bindings },
          },
        },
      },
    },
    'x-wso2-auth-header': dto.authorizationHeader,
    'x-wso2-api-key-header': dto.apiKeyHeader,
    'x-wso2-cors': { corsConfigurationEnabled: false },
    ...(ep?.production_endpoints
      ? { 'x-wso2-production-endpoints': { urls: [ep.production_endpoints.url], type: 'http' } }
      : {}),
    ...(ep?.sandbox_endpoints
      ? { 'x-wso2-sandbox-endpoints': { urls: [ep.sandbox_endpoints.url], type: 'http' } }
      : {}),
    'x-wso2-basePath': gatewayPathOf(dto.context, dto.version),
    'x-wso2-transports': dto.transport,
    'x-wso2-response-cache': { enabled: false, cacheTimeoutInSeconds: 300 },
  };
}

/** What an OpenAPI document contributes to an API. */
export interface OpenApiImport {
  title?: string;
  version?: string;
  description?: string;
  /** From `x-wso2-basePath`, without the version. */
  context?: string;
  productionUrl?: string;
  sandboxUrl?: string;
  operations: Json[];
  scopes: ApiScope[];
}

/**
 * Reads operations (verbs, targets, `x-auth-type`, `x-throttling-tier`, `security` scopes) and declared OAuth2
 * scopes from an OpenAPI 3 (or Swagger 2) document, or its YAML/JSON text. Operations are returned raw for the
 * DTO validator. @throws RestError INVALID_DEFINITION (not YAML/JSON, not an OpenAPI 3 / Swagger 2 object, no paths).
 */
export function fromOpenApi(doc: unknown): OpenApiImport {
  if (typeof doc === 'string') doc = parseDefinitionText(doc, 'apiDefinition');
  if (!isObject(doc))
    throw new RestError('INVALID_DEFINITION', 'The API definition must be an OpenAPI object');
  const v3 = typeof doc.openapi === 'string' && doc.openapi.startsWith('3.');
  const v2 = doc.swagger === '2.0';
  if (!v3 && !v2)
    throw new RestError(
      'INVALID_DEFINITION',
      "Unsupported definition: expected 'openapi: 3.x' (or 'swagger: 2.0')",
    );
  if (!isObject(doc.paths))
    throw new RestError('INVALID_DEFINITION', 'The OpenAPI document has no paths object');
  const operations: Json[] = [];
  for (const [target, item] of Object.entries(doc.paths)) {
    if (!isObject(item)) continue;
    for (const [method, op] of Object.entries(item)) {
      if (!VERBS.includes(method.toUpperCase()) || !isObject(op)) continue;
      const scopes = Array.isArray(op.security)
        ? op.security.flatMap((req: unknown) =>
            isObject(req) ? Object.values(req).flatMap((v) => (Array.isArray(v) ? v : [])) : [],
          )
        : [];
      operations.push({
        target,
        verb: method.toUpperCase(),
        authType: op['x-auth-type'] ?? AUTH_TYPE_APP_AND_USER,
        throttlingPolicy: op['x-throttling-tier'] ?? 'Unlimited',
        scopes: [...new Set(scopes)],
      });
    }
  }
  const info = isObject(doc.info) ? doc.info : {};
  const basePath = typeof doc['x-wso2-basePath'] === 'string' ? doc['x-wso2-basePath'] : undefined;
  const version = typeof info.version === 'string' ? info.version : undefined;
  return {
    title: typeof info.title === 'string' ? info.title : undefined,
    version,
    description: typeof info.description === 'string' ? info.description : undefined,
    context: basePath && version ? basePath.replace(new RegExp(`/${escapeRe(version)}$`), '') : basePath,
    productionUrl: firstUrl(doc['x-wso2-production-endpoints']) ?? serverUrl(doc),
    sandboxUrl: firstUrl(doc['x-wso2-sandbox-endpoints']),
    operations,
    scopes: declaredScopes(doc),
  };
}

function declaredScopes(doc: Json): ApiScope[] {
  const schemes =
    isObject(doc.components) && isObject(doc.components.securitySchemes)
      ? doc.components.securitySchemes
      : isObject(doc.securityDefinitions)
        ? doc.securityDefinitions
        : {};
  const out = new Map<string, ApiScope>();
  for (const scheme of Object.values(schemes)) {
    if (!isObject(scheme)) continue;
    const flows = isObject(scheme.flows) ? Object.values(scheme.flows) : [scheme];
    for (const flow of flows) {
      if (!isObject(flow) || !isObject(flow.scopes)) continue;
      const bindings = isObject(flow['x-scopes-bindings']) ? flow['x-scopes-bindings'] : {};
      for (const [name, description] of Object.entries(flow.scopes)) {
        const b = bindings[name];
        out.set(name, {
          scope: {
            name,
            displayName: name,
            description: typeof description === 'string' ? description : '',
            bindings:
              typeof b === 'string' && b
                ? b
                    .split(',')
                    .map((x) => x.trim())
                    .filter(Boolean)
                : [],
          },
          shared: false,
        });
      }
    }
  }
  return [...out.values()];
}

function firstUrl(v: unknown): string | undefined {
  return isObject(v) && Array.isArray(v.urls) && typeof v.urls[0] === 'string' ? v.urls[0] : undefined;
}

function serverUrl(doc: Json): string | undefined {
  const url = definitionEndpoints(doc)[0];
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/**
 * The backend URLs a definition names: OpenAPI 3 `servers[].url`, Swagger 2 `schemes` × `host` + `basePath`
 * (WSO2's validate-openapi `info.endpoints`).
 */
export function definitionEndpoints(doc: Json): string[] {
  if (Array.isArray(doc.servers))
    return doc.servers.flatMap((s: unknown) => (isObject(s) && typeof s.url === 'string' ? [s.url] : []));
  if (typeof doc.host !== 'string' || doc.host === '') return [];
  const base = typeof doc.basePath === 'string' ? doc.basePath : '';
  const schemes = Array.isArray(doc.schemes) ? doc.schemes.filter((x) => typeof x === 'string') : [];
  return (schemes.length ? schemes : ['https']).map((scheme) => `${scheme}://${doc.host}${base}`);
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
