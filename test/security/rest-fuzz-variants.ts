import { Check } from 'typebox/schema';
import type { RegisteredRoute } from '../../src/control-plane/index.js';

/** One hostile request. `mustRefuse`: the input is invalid by construction, so only a 4xx is acceptable. */
export interface Variant {
  kind: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload?: string;
  mustRefuse: boolean;
}

type Json = Record<string, unknown>;
export type Rng = () => number;

/** mulberry32: a small seeded generator, so a failing run can be replayed with the printed seed. */
export function seededRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rng: Rng, xs: readonly T[], n: number): T[] => {
  const copy = [...xs];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
};

/** Characters every text field refuses (no tab/LF/CR: description fields may hold those). */
export const HAZARDS = [
  '\u0000',
  '\u0007',
  '\u001b',
  '\u007f',
  '\u0085',
  '\u202e',
  '\u2066',
  '\ud800',
  '\udfff',
];
/** Percent-encoded path values that decode to a refused character (or to no UTF-8 at all). */
const HAZARD_PATH = ['%00', '%1B%5B2J', '%E2%80%AE', '%C2%85', '%ED%A0%80', '%FF'];
/** Path values that are odd but printable: traversal, huge, injection-looking, non-ASCII. */
const ODD_PATH = [
  '..%2F..%2Fetc%2Fpasswd',
  '..',
  '%2e%2e%2f%2e%2e',
  'A'.repeat(5000),
  'B'.repeat(100),
  "x'%20OR%20'1'%3D'1",
  '%3Cscript%3E',
  '%F0%9F%98%80%D7%A9',
  '%25%32%65',
  '-1',
];
/** Printable query values a handler may still choke on (numbers out of range, empty, huge); any 2xx/4xx is fine. */
const ODD_QUERY = [
  '',
  '-1',
  '1e309',
  '99999999999999999999',
  '0x10',
  'A'.repeat(4000),
  '%25%00',
  '__proto__',
];
const WRONG_TYPES: unknown[] = ['x', 1, 1.5, true, null, [], {}, [1], { k: 1 }];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/json; charset=iso-8859-1',
  'application/jsonx',
  'application/merge-patch+json',
];
const MALFORMED_JSON = ['{', '{"a":1,}', "{'a':1}", '[1,2', 'nul', '{"__proto__":{"x":1}}', '{"a":"\\x"}'];

/** The route's URL with `params` (already encoded) in place of `:name` and `*`. */
export function fillUrl(pattern: string, params: Record<string, string>): string {
  return pattern
    .replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) => params[name] ?? 'none')
    .replace(/\*$/, params['*'] ?? 'x');
}

/** The path parameter names of a route pattern (`*` for a wildcard tail). */
export const paramNames = (pattern: string): string[] => [
  ...[...pattern.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string),
  ...(pattern.endsWith('*') ? ['*'] : []),
];

/** Where a body goes, by how the route documents it. */
export function bodyKind(r: RegisteredRoute): 'none' | 'schema' | 'opaque' | 'form' {
  if (r.method === 'GET' || r.method === 'HEAD') return 'none';
  if (r.config.accepts?.includes('application/x-www-form-urlencoded')) return 'form';
  if (r.method === 'DELETE' || r.config.body === 'none') return 'none';
  return r.schema.body ? 'schema' : 'opaque';
}

/** All hostile variants of one route (before authentication headers are added). */
export function variantsFor(
  r: RegisteredRoute,
  params: Record<string, string>,
  seed: unknown,
  rng: Rng,
): Variant[] {
  const out: Variant[] = [];
  const url = fillUrl(r.url, params);
  const add = (kind: string, v: Partial<Variant>, mustRefuse = true) =>
    out.push({ kind, method: r.method, url, headers: {}, mustRefuse, ...v });

  for (const name of paramNames(r.url)) {
    for (const value of pick(rng, HAZARD_PATH, 3))
      add('path-hazard', { url: fillUrl(r.url, { ...params, [name]: value }) });
    for (const value of pick(rng, ODD_PATH, 4))
      add('path-odd', { url: fillUrl(r.url, { ...params, [name]: value }) }, r.method !== 'GET');
  }

  const declared = Object.keys((r.schema.querystring as { properties?: Json } | undefined)?.properties ?? {});
  const sep = url.includes('?') ? '&' : '?';
  for (const q of [...declared, 'fuzz']) add('query-repeat', { url: `${url}${sep}${q}=a&${q}=b` });
  for (const q of declared) {
    const h = encodeURIComponent(`a${pick(rng, HAZARDS.slice(0, 7), 1)[0]}b`);
    add('query-hazard', { url: `${url}${sep}${q}=${h}` });
  }
  add('query-hazard', { url: `${url}${sep}a%00b=1` });
  for (const q of declared)
    for (const value of pick(rng, ODD_QUERY, 2))
      add('query-odd', { url: `${url}${sep}${q}=${encodeURIComponent(value)}` }, false);

  const kind = bodyKind(r);
  if (r.method === 'GET' || r.method === 'HEAD') return out;
  const form = kind === 'form';
  const json = (payload: string) => ({ headers: { 'content-type': 'application/json' }, payload });
  const sample = form ? 'grant_type=client_credentials' : '{"name":"x"}';
  for (const type of [
    ...pick(rng, CONTENT_TYPES, 3),
    form ? 'application/json' : 'application/x-www-form-urlencoded',
  ])
    add('content-type', { headers: { 'content-type': type }, payload: sample });
  add('content-type', { payload: sample });
  const big = form ? `a=${'x'.repeat(1024 * 1024)}` : JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
  add('oversize-body', {
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json' },
    payload: big,
  });
  if (form) {
    const f = { 'content-type': 'application/x-www-form-urlencoded' };
    add('form-repeat', { headers: f, payload: 'grant_type=password&grant_type=client_credentials' });
    for (const h of pick(rng, HAZARDS.slice(0, 7), 3))
      add('form-hazard', {
        headers: f,
        payload: `grant_type=client_credentials&scope=${encodeURIComponent(h)}`,
      });
    return out;
  }
  if (r.config.accepts?.includes('multipart/form-data')) out.push(...multipartVariants(r, url, rng));
  for (const m of pick(rng, MALFORMED_JSON, 4)) add('malformed-json', json(m));
  add('deep-body', json(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`));
  for (const h of pick(rng, HAZARDS, 3)) add('body-hazard', json(JSON.stringify({ name: `ok${h}ok` })));
  if (kind === 'opaque') {
    // Bodies this route cannot take whatever its fields are; a route that ignores its body may still say 2xx.
    for (const v of [[], 1, 'x', true]) add('body-top-type', json(JSON.stringify(v)), false);
  }
  if (kind === 'schema') out.push(...schemaVariants(r, url, seed, rng));
  return out;
}

const BOUNDARY = 'FuzzBoundary';
const formPart = (name: string, value: string, filename?: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`;

/**
 * Hostile `multipart/form-data` bodies for a route that takes them (`config.formFields`): garbage, truncation,
 * no boundary, no fields, unknown, repeated and prototype-named fields, refused characters in a field or file.
 * Every one is invalid by construction: a definition or url is never complete and valid.
 */
function multipartVariants(r: RegisteredRoute, url: string, rng: Rng): Variant[] {
  const fields = r.config.formFields ?? [];
  const out: Variant[] = [];
  const add = (kind: string, payload: string, type = `multipart/form-data; boundary=${BOUNDARY}`) =>
    out.push({ kind, method: r.method, url, headers: { 'content-type': type }, payload, mustRefuse: true });
  const end = `--${BOUNDARY}--\r\n`;
  const first = fields[0] ?? 'file';
  add('multipart-garbage', `\u0000\u00ff--${BOUNDARY}\r\nnonsense\r\n\r\n`);
  add('multipart-garbage', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${first}"\r\n\r\nabc`);
  add('multipart-garbage', formPart(first, 'x') + end, 'multipart/form-data');
  add('multipart-empty', end);
  add('multipart-unknown-field', formPart('fuzz', 'x') + end);
  add('multipart-repeat', formPart(first, 'a') + formPart(first, 'b') + end);
  for (const name of ['__proto__', 'constructor', 'hasOwnProperty'])
    add('multipart-proto', formPart(name, '{}') + end);
  for (const h of pick(rng, HAZARDS.slice(0, 7), 2))
    add('multipart-hazard-name', formPart(`a${h}b`, 'x') + end);
  for (const field of fields) {
    const h = pick(rng, HAZARDS.slice(0, 7), 1)[0] as string;
    add('multipart-hazard-value', formPart(field, `ok${h}ok`) + end);
    add('multipart-hazard-value', formPart(field, `openapi: 3.0.1\ninfo: {title: "a${h}b"}`, 'x.yaml') + end);
  }
  return out;
}

type Leaf = { path: (string | number)[]; schema: Json };

/** Every property (and array item) of a JSON schema down to `depth`, unions included. */
function leaves(schema: Json, path: (string | number)[] = [], depth = 0): Leaf[] {
  const out: Leaf[] = [{ path, schema }];
  if (depth >= 4) return out;
  for (const s of (schema.anyOf as Json[] | undefined) ?? [schema]) {
    for (const [k, sub] of Object.entries((s.properties as Record<string, Json> | undefined) ?? {}))
      out.push(...leaves(sub, [...path, k], depth + 1));
    for (const sub of Object.values((s.patternProperties as Record<string, Json> | undefined) ?? {}))
      out.push(...leaves(sub, [...path, 'fuzzKey'], depth + 1));
    if (s.items && typeof s.items === 'object') out.push(...leaves(s.items as Json, [...path, 0], depth + 1));
  }
  return out;
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (
    typeof head === 'number'
      ? Array.isArray(root)
        ? [...root]
        : []
      : root && typeof root === 'object' && !Array.isArray(root)
        ? { ...root }
        : {}
  ) as Record<string | number, unknown>;
  container[head as string | number] = setAt(container[head as string | number], rest, value);
  return container;
}

/** Per-field mutations of the route's valid seed, each checked invalid against the route's schema. */
function schemaVariants(r: RegisteredRoute, url: string, seed: unknown, rng: Rng): Variant[] {
  const schema = r.schema.body as Json;
  const out: Variant[] = [];
  const send = (kind: string, body: unknown) =>
    out.push({
      kind,
      method: r.method,
      url,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(body),
      mustRefuse: true,
    });
  const seen = new Set<string>();
  for (const leaf of leaves(schema)) {
    const key = leaf.path.join('.');
    if (seen.has(key)) continue;
    seen.add(key);
    const wrong = pick(rng, WRONG_TYPES, WRONG_TYPES.length)
      .map((v) => setAt(seed, leaf.path, v))
      .filter((b) => !Check(schema, b))
      .slice(0, 1);
    for (const b of wrong) send('body-wrong-type', b);
    if (leaf.path.length > 0 && leaf.path.at(-1) !== 0) {
      const missing = structuredClone(seed) as Json;
      const parent = leaf.path.slice(0, -1).reduce<unknown>((o, k) => (o as Json | undefined)?.[k], missing);
      if (parent && typeof parent === 'object') delete (parent as Json)[leaf.path.at(-1) as string];
      if (!Check(schema, missing)) send('body-missing-field', missing);
    }
    const variantsOfLeaf = (leaf.schema.anyOf as Json[] | undefined) ?? [leaf.schema];
    const text = variantsOfLeaf.find((s) => s.type === 'string');
    if (!text) continue;
    if (typeof text.maxLength === 'number') {
      const long = setAt(seed, leaf.path, 'x'.repeat(text.maxLength + 1));
      if (!Check(schema, long)) send('body-oversize-field', long);
    }
    const h = pick(rng, HAZARDS, 1)[0] as string;
    send('body-hazard-field', setAt(seed, leaf.path, `ok${h}ok`));
  }
  return out;
}
