import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

/** The WSO2 REST APIs whose OpenAPI documents are Portico's contract, with the base path each is served at. */
export const WSO2_APIS = {
  devportal: { file: 'devportal-api.json', base: '/api/am/devportal/v3', title: 'Developer Portal v3' },
  publisher: { file: 'publisher-api.json', base: '/api/am/publisher/v4', title: 'Publisher v4' },
  admin: { file: 'admin-api.json', base: '/api/am/admin/v4', title: 'Admin v4' },
  dcr: { file: 'dcr.json', base: '/client-registration/v0.17', title: 'Dynamic client registration v0.17' },
} as const;

export type Wso2Api = keyof typeof WSO2_APIS;

export const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface JsonSchemaRef {
  $ref?: string;
  [k: string]: unknown;
}

interface MediaTypes {
  content?: Record<string, { schema?: JsonSchemaRef }>;
  $ref?: string;
}

interface Operation {
  tags?: string[];
  requestBody?: MediaTypes;
  responses: Record<string, MediaTypes>;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, JsonSchemaRef>; responses?: Record<string, MediaTypes> };
}

/** One operation of a WSO2 OpenAPI document: `GET /apis/{apiId}` of `devportal`. */
export interface SpecOperation {
  readonly api: Wso2Api;
  readonly method: string;
  /** The path template as the document spells it, without the base path. */
  readonly path: string;
  readonly tag: string;
  /** `devportal GET /apis/{apiId}` — how tests, tables and the docs name an operation. */
  readonly id: string;
}

/** `GET /apis/{apiId}` → `GET /apis/{}`: the same shape whatever the parameter names (Fastify's `:id` too). */
export const pathShape = (path: string) => path.replace(/\{[^}]+\}|:[A-Za-z0-9_]+/g, '{}');

function specFile(name: string): string {
  for (const c of [
    new URL(`../../../../shared/design/wso2-openapi/${name}`, import.meta.url),
    new URL(`file:///work/shared/design/wso2-openapi/${name}`),
  ]) {
    try {
      return readFileSync(c, 'utf8');
    } catch {
      // next candidate
    }
  }
  throw new Error(`${name} not found (../shared/design/wso2-openapi/)`);
}

const docs = new Map<Wso2Api, OpenApiDoc>();

/** The parsed OpenAPI document of one API (read once). */
export function openApiDoc(api: Wso2Api): OpenApiDoc {
  let d = docs.get(api);
  if (!d) {
    d = JSON.parse(specFile(WSO2_APIS[api].file)) as OpenApiDoc;
    docs.set(api, d);
  }
  return d;
}

/** Every operation of one API's document, in document order. */
export function specOperations(api: Wso2Api): SpecOperation[] {
  const out: SpecOperation[] = [];
  for (const [path, item] of Object.entries(openApiDoc(api).paths))
    for (const m of HTTP_METHODS) {
      const op = item[m];
      if (!op) continue;
      const method = m.toUpperCase();
      out.push({ api, method, path, tag: op.tags?.[0] ?? 'Other', id: `${api} ${method} ${path}` });
    }
  return out;
}

/** The operation named `devportal GET /apis/{apiId}`; throws when the document has no such operation. */
export function specOperation(id: string): SpecOperation {
  const [api, method, path] = id.split(' ');
  const op = specOperations(api as Wso2Api).find((o) => o.method === method && o.path === path);
  if (!op) throw new Error(`no operation ${id} in ${WSO2_APIS[api as Wso2Api]?.file ?? api}`);
  return op;
}

/**
 * The ajv validator over all four documents. Relaxations, each for a WSO2 quirk that would otherwise drown real
 * mismatches (every one is listed here and nowhere else):
 * - `nullable: true` is honoured (OpenAPI 3.0), and beyond it a property whose value is JSON `null` is checked as
 *   absent: WSO2's Java DTOs serialize every unset optional field as `null` and the documents mark almost none
 *   `nullable`. A *required* property that is `null` still fails (it is then missing).
 * - Formats `int64`, `byte`, `binary`, `string` are not checked (ajv does not know them; WSO2 declares
 *   `int64` on JSON numbers and `binary` on multipart parts).
 * - `additionalProperties` of `ConsumerSecret`, `ConsumerSecretCreationRequest` and
 *   `ConsumerSecretDeletionRequest` declares every value an object, which WSO2's own examples
 *   (`expiresIn: 86400`, `description: "..."`) violate; there any JSON value is accepted.
 * - Publisher `API.keyManagers` is declared an object; WSO2 answers (and apictl's `api.yaml` holds) a list of
 *   key manager names (`["all"]`), so a list of strings is accepted too.
 * - Admin `BlockingCondition.conditionValue` is declared an object, which fits IP and IPRANGE conditions only;
 *   WSO2 takes and answers a string for API, APPLICATION and USER conditions (`"admin:DefaultApplication"`), so
 *   a string is accepted too.
 */
function validatorAjv(): Ajv.Ajv {
  const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore', nullable: true, logger: false });
  for (const api of Object.keys(WSO2_APIS) as Wso2Api[]) {
    const doc = openApiDoc(api);
    for (const name of ['ConsumerSecret', 'ConsumerSecretCreationRequest', 'ConsumerSecretDeletionRequest']) {
      const schema = doc.components.schemas[name] as
        { properties?: Record<string, { additionalProperties?: unknown }> } | undefined;
      const extra = schema?.properties?.additionalProperties;
      if (extra) extra.additionalProperties = {};
    }
    const apiDto = doc.components.schemas.API as { properties?: Record<string, unknown> } | undefined;
    if (api === 'publisher' && apiDto?.properties?.keyManagers)
      apiDto.properties.keyManagers = {
        anyOf: [apiDto.properties.keyManagers, { type: 'array', items: { type: 'string' } }],
      };
    const condition = doc.components.schemas.BlockingCondition as
      { properties?: Record<string, unknown> } | undefined;
    if (api === 'admin' && condition?.properties?.conditionValue)
      condition.properties.conditionValue = {
        anyOf: [condition.properties.conditionValue, { type: 'string' }],
      };
    ajv.addSchema(doc, api);
  }
  return ajv;
}

let shared: Ajv.Ajv | null = null;

const pointer = (...parts: string[]) =>
  parts.map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1'))).join('/');

/** Follows `#/components/responses/X` (ajv resolves schema refs itself; response objects are ours to follow). */
function responseObject(doc: OpenApiDoc, r: MediaTypes): { obj: MediaTypes; pointerBase: string[] } | null {
  if (!r.$ref) return { obj: r, pointerBase: [] };
  const name = r.$ref.replace('#/components/responses/', '');
  const obj = doc.components.responses?.[name];
  return obj ? { obj, pointerBase: ['components', 'responses', name] } : null;
}

/** The result of checking one response against its operation: `null` when it conforms, else why not. */
export function responseMismatch(op: SpecOperation, status: number, body: unknown): string | null {
  shared ??= validatorAjv();
  const doc = openApiDoc(op.api);
  const operation = doc.paths[op.path]?.[op.method.toLowerCase()];
  if (!operation) return `${op.id} is not in the document`;
  const key = operation.responses[String(status)] ? String(status) : 'default';
  const documented = operation.responses[key];
  if (!documented)
    return `status ${status} is not documented (${Object.keys(operation.responses).join(', ')})`;
  const resolved = responseObject(doc, documented);
  if (!resolved) return `unresolvable ${documented.$ref}`;
  const json = resolved.obj.content?.['application/json'];
  if (!json?.schema) return null; // no body documented: nothing to check (e.g. 204, or a file download)
  const base = resolved.pointerBase.length
    ? resolved.pointerBase
    : ['paths', op.path, op.method.toLowerCase(), 'responses', key];
  return schemaMismatch(op.api, pointer(...base, 'content', 'application/json', 'schema'), body);
}

/** Checks a request body we send against the operation's JSON request schema (a call must be WSO2-shaped too). */
export function requestMismatch(op: SpecOperation, body: unknown): string | null {
  const operation = openApiDoc(op.api).paths[op.path]?.[op.method.toLowerCase()];
  if (!operation?.requestBody?.content?.['application/json']?.schema) return null;
  return schemaMismatch(
    op.api,
    pointer(
      'paths',
      op.path,
      op.method.toLowerCase(),
      'requestBody',
      'content',
      'application/json',
      'schema',
    ),
    body,
  );
}

function schemaMismatch(api: Wso2Api, ptr: string, body: unknown): string | null {
  shared ??= validatorAjv();
  const validate = shared.getSchema(`${api}#/${ptr}`);
  if (!validate) return `no schema at ${api}#/${ptr}`;
  if (validate(withoutNulls(body))) return null;
  return (validate.errors ?? []).map((e) => shared!.errorsText([e], { dataVar: 'body' })).join('; ');
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}
