import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { RestError } from '../../core/index.js';
import { textProblem } from './text-rules.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Media types the route takes a request body in (parameters such as `charset=utf-8` allowed).
     * Default {@link JSON_ONLY}; the OAuth2 endpoints take {@link FORM_ONLY}.
     */
    accepts?: readonly string[];
    /**
     * `'none'`: the route documents no request body (WSO2 `change-lifecycle`, `regenerate-secret`, ...). A JSON
     * body is tolerated and ignored, as WSO2 does; any other media type is still 415.
     */
    body?: 'none';
    /**
     * Top-level body fields that hold a document (an OpenAPI definition) in which any string may span lines;
     * `'*'` when the body itself is such a document. Everywhere else only `description` fields are multi-line.
     */
    documentFields?: readonly string[];
  }
}

/** What every Portico REST operation takes (WSO2's OpenAPI documents say `application/json`). */
export const JSON_ONLY: readonly string[] = ['application/json'];
/** What the OAuth2 token, revocation and introspection endpoints take (RFC 6749, 7009, 7662). */
export const FORM_ONLY: readonly string[] = ['application/x-www-form-urlencoded'];

/** Bodies nested deeper than this are refused before any handler walks them recursively. */
export const MAX_BODY_DEPTH = 64;

/**
 * The query schema of a route that declares none: any parameter, each given at most once (the repeat check
 * below refuses a second value before this schema sees it).
 */
export const ANY_QUERY = { type: 'object', additionalProperties: true } as const;

const MULTILINE_KEYS = new Set(['description']);
const BODYLESS = new Set(['GET', 'HEAD']);

/**
 * Installs the control plane's input rules on every route registered after it (call it before any route):
 * - every route has a querystring schema (a route without one gets {@link ANY_QUERY});
 * - a query (or form) parameter given twice is 400 VALIDATION_FAILED unless the route's schema declares it an
 *   array: `Query parameter query must not be repeated`;
 * - a non-empty body whose media type is not in `config.accepts` (default JSON) is 415 UNSUPPORTED_MEDIA_TYPE,
 *   decided before the body is parsed;
 * - every string of the query, path parameters and body obeys {@link textProblem} (400 VALIDATION_FAILED naming
 *   the field, e.g. `name must not contain control characters`), and a body nests at most {@link MAX_BODY_DEPTH}.
 * All of it runs before schema validation and handlers, so a refused request writes nothing.
 * @example installInputGuard(app); app.post('/oauth2/token', { config: { accepts: FORM_ONLY } }, handler);
 */
export function installInputGuard(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    route.schema = { ...route.schema, querystring: route.schema?.querystring ?? ANY_QUERY };
  });

  // Callback hooks: every request passes both, and a sync check needs no promise (a throw becomes the error).
  app.addHook('preParsing', (request, _reply, payload, done) => {
    if (!BODYLESS.has(request.method) && hasBody(request)) checkMediaType(request);
    done(null, payload);
  });

  app.addHook('preValidation', (request, _reply, done) => {
    checkQuery(request);
    checkParams(request.params);
    if (request.body !== undefined && request.body !== null) checkBody(request);
    done();
  });
}

function checkMediaType(request: FastifyRequest): void {
  const accepts = request.routeOptions.config.accepts ?? JSON_ONLY;
  const header = request.headers['content-type'];
  const use = () => `use ${accepts.join(' or ')}`;
  if (header === undefined || header.trim() === '')
    throw new RestError('UNSUPPORTED_MEDIA_TYPE', `A request body needs a Content-Type; ${use()}`);
  const media = parseMediaType(header);
  if (!media || !accepts.includes(media.type) || (media.charset !== null && media.charset !== 'utf-8'))
    throw new RestError(
      'UNSUPPORTED_MEDIA_TYPE',
      `Content-Type ${printable(header)} is not accepted here; ${use()}`,
    );
}

function hasBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

type MediaType = Readonly<{ type: string; charset: string | null }>;

// Clients send few distinct Content-Type spellings, and every request with a body reads its own twice (media-type
// check, form check): parse each spelling once. Bounded (64 spellings of at most 200 characters): a client
// inventing spellings only causes misses.
const parsedMediaTypes = new Map<string, MediaType | null>();
const MAX_PARSED_MEDIA_TYPES = 64;
const MAX_CACHED_SPELLING = 200;

/** `type/subtype` (lower case) and the charset parameter, or null when the header is not a media type. */
export function parseMediaType(header: string): MediaType | null {
  const known = parsedMediaTypes.get(header);
  if (known !== undefined) return known;
  const parsed = parseMediaTypeUncached(header);
  if (header.length > MAX_CACHED_SPELLING) return parsed;
  if (parsedMediaTypes.size >= MAX_PARSED_MEDIA_TYPES) parsedMediaTypes.clear();
  parsedMediaTypes.set(header, parsed);
  return parsed;
}

function parseMediaTypeUncached(header: string): MediaType | null {
  const [head = '', ...params] = header.split(';');
  const type = head.trim().toLowerCase();
  if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(type)) return null;
  let charset: string | null = null;
  for (const p of params) {
    const eq = p.indexOf('=');
    if (eq < 0) continue;
    if (p.slice(0, eq).trim().toLowerCase() === 'charset')
      charset = p
        .slice(eq + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1')
        .toLowerCase();
  }
  return Object.freeze({ type, charset });
}

function checkQuery(request: FastifyRequest): void {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || typeof query !== 'object') return;
  const arrays = arrayProperties(request.routeOptions.schema?.querystring);
  for (const [name, value] of Object.entries(query)) {
    const problem = textProblem(name, false);
    if (problem) throw invalid(`A query parameter name must not contain ${problem}`);
    const values = Array.isArray(value) ? (value as unknown[]) : [value];
    if (values.length > 1 && !arrays.has(name))
      throw invalid(`Query parameter ${printable(name)} must not be repeated`);
    for (const v of values) {
      const p = typeof v === 'string' ? textProblem(v, false) : null;
      if (p) throw invalid(`Query parameter ${printable(name)} must not contain ${p}`);
    }
  }
}

function checkParams(params: unknown): void {
  if (!params || typeof params !== 'object') return;
  for (const [name, value] of Object.entries(params)) {
    const p = typeof value === 'string' ? textProblem(value, false) : null;
    if (p) throw invalid(`Path parameter ${name} must not contain ${p}`);
  }
}

function checkBody(request: FastifyRequest): void {
  const config = request.routeOptions.config;
  const media = parseMediaType(request.headers['content-type'] ?? '');
  if (media?.type === FORM_ONLY[0]) {
    for (const [name, value] of Object.entries(request.body as Record<string, unknown>)) {
      if (Array.isArray(value)) throw invalid(`Form parameter ${printable(name)} must not be repeated`);
    }
  }
  const documents = new Set(config.documentFields ?? []);
  walk(request.body, documents.has('*'), documents);
}

/**
 * The body rules ({@link textProblem}, {@link MAX_BODY_DEPTH}) applied to a value a handler parsed itself out of
 * a field (an uploaded OpenAPI document, a JSON string field), so nothing inside it escapes them. `document`:
 * every string may span lines. @throws RestError VALIDATION_FAILED naming the field (`file.paths[...]`).
 * @example checkParsedInput(YAML.parse(text), 'file', { document: true });
 */
export function checkParsedInput(value: unknown, field: string, opts: { document: boolean }): void {
  walk({ [field]: value }, opts.document, new Set());
}

type Frame = { value: unknown; path: string; depth: number; key: string; multiline: boolean };

/** Iterative (a hostile body cannot exhaust the stack) check of every key and string in `body`. */
function walk(body: unknown, wholeDocument: boolean, documents: Set<string>): void {
  const stack: Frame[] = [{ value: body, path: '', depth: 0, key: '', multiline: wholeDocument }];
  while (stack.length > 0) {
    const f = stack.pop() as Frame;
    if (typeof f.value === 'string') {
      const p = textProblem(f.value, f.multiline || MULTILINE_KEYS.has(f.key));
      if (p) throw invalid(`${f.path || 'body'} must not contain ${p}`);
      continue;
    }
    // Bytes (an uploaded archive, `binaryFields`) hold no text; their own reader checks what it extracts.
    if (typeof f.value !== 'object' || f.value === null || f.value instanceof Uint8Array) continue;
    if (f.depth >= MAX_BODY_DEPTH)
      throw invalid(`The body is nested more than ${MAX_BODY_DEPTH} levels deep`);
    if (Array.isArray(f.value)) {
      for (let i = f.value.length - 1; i >= 0; i--)
        stack.push({ ...f, value: f.value[i], path: `${f.path}[${i}]`, depth: f.depth + 1, key: '' });
      continue;
    }
    const entries = Object.entries(f.value as Record<string, unknown>);
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string, unknown];
      const keyProblem = textProblem(key, false);
      if (keyProblem) throw invalid(`${f.path || 'body'} must not contain ${keyProblem} in a property name`);
      const path =
        f.path === ''
          ? key
          : /^[A-Za-z_$][\w$-]*$/.test(key)
            ? `${f.path}.${key}`
            : `${f.path}[${JSON.stringify(key)}]`;
      const multiline = f.multiline || (f.depth === 0 && documents.has(key));
      stack.push({ value, path, depth: f.depth + 1, key, multiline });
    }
  }
}

// Per route schema object, computed at its first request instead of at every one.
const arrayPropertiesOf = new WeakMap<object, Set<string>>();
const NO_ARRAYS: Set<string> = new Set();

function arrayProperties(schema: unknown): Set<string> {
  if (typeof schema !== 'object' || schema === null) return NO_ARRAYS;
  let names = arrayPropertiesOf.get(schema);
  if (!names) {
    names = arrayPropertyNames(schema);
    arrayPropertiesOf.set(schema, names);
  }
  return names;
}

function arrayPropertyNames(schema: object): Set<string> {
  const props = (schema as { properties?: Record<string, { type?: unknown }> } | undefined)?.properties;
  const out = new Set<string>();
  for (const [name, s] of Object.entries(props ?? {})) if (s.type === 'array') out.add(name);
  return out;
}

function invalid(message: string): RestError {
  return new RestError('VALIDATION_FAILED', message, [{ code: 'VALIDATION_FAILED', message }]);
}

/** A client-supplied name as it may appear in an error message: bounded, control characters escaped. */
function printable(s: string): string {
  const short = s.length > 100 ? `${s.slice(0, 100)}…` : s;
  return textProblem(short, false) ? JSON.stringify(short) : short;
}
