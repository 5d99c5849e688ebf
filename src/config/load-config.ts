import { readFileSync } from 'node:fs';
import ipaddr from 'ipaddr.js';
import { parse, TomlError } from 'smol-toml';
import Value from 'typebox/value';
import { ConfigError } from './config-error.js';
import { ConfigSchema, type Config } from './schema.js';
import { locateTomlKey } from './toml-locator.js';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/**
 * Parses and validates deployment.toml text into a frozen Config.
 * `$env{NAME}` and `${NAME}` placeholders in strings are read from `env`.
 * @throws ConfigError naming the key, its line and what is allowed.
 */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv): Readonly<Config> {
  let raw: Json;
  try {
    raw = parse(text) as Json;
  } catch (err) {
    if (err instanceof TomlError) {
      throw new ConfigError(file, '', err.line, `not valid TOML: ${err.message.split('\n')[0]}`);
    }
    throw err;
  }
  const substituted = substituteEnv(raw, [], text, file, env);
  const withDefaults = Value.Default(ConfigSchema, Value.Clone(substituted)) as unknown;
  const first =
    firstProblem(withDefaults, text, file) ??
    badProxy(withDefaults as Config, text, file) ??
    missingMetricsToken(withDefaults as Config, text, file);
  if (first) throw first;
  return deepFreeze(withDefaults as Config);
}

/** Reads and validates `file`. @throws ConfigError */
export function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      file,
      '',
      null,
      `cannot read the file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseConfig(text, file, env);
}

/** Reads the environment for things outside deployment.toml (the home directory). */
export function homeFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.PORTICO_HOME || undefined;
}

const PLACEHOLDER = /\$env\{([A-Za-z_][A-Za-z0-9_]*)\}|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

function substituteEnv(v: Json, path: string[], text: string, file: string, env: NodeJS.ProcessEnv): Json {
  if (typeof v === 'string') {
    return v.replace(PLACEHOLDER, (_m, a: string | undefined, b: string | undefined) => {
      const name = (a ?? b) as string;
      const value = env[name];
      if (value === undefined) {
        throw new ConfigError(
          file,
          path.join('.'),
          locateTomlKey(text, path),
          `environment variable ${name} is not set`,
        );
      }
      return value;
    });
  }
  if (Array.isArray(v)) return v.map((x, i) => substituteEnv(x, [...path, String(i)], text, file, env));
  if (v && typeof v === 'object') {
    const out: Record<string, Json> = {};
    for (const [k, x] of Object.entries(v)) out[k] = substituteEnv(x, [...path, k], text, file, env);
    return out;
  }
  return v;
}

function firstProblem(value: unknown, text: string, file: string): ConfigError | null {
  const errors = [...Value.Errors(ConfigSchema, value)];
  if (errors.length === 0) return null;
  // Prefer the most specific report: unknown keys first, then type/enum problems at the deepest path.
  const unknown = errors.find((e) => e.keyword === 'additionalProperties');
  if (unknown) {
    const base = pointerToPath(unknown.instancePath);
    const extra = (unknown.params as { additionalProperties?: string[] }).additionalProperties?.[0] ?? '?';
    const path = [...base, extra];
    const allowed = allowedKeys(base);
    return new ConfigError(
      file,
      path.join('.'),
      locateTomlKey(text, path),
      `unknown key "${extra}"${allowed.length ? `; allowed keys here: ${allowed.join(', ')}` : ''}`,
    );
  }
  const sorted = errors
    .filter((e) => e.keyword !== 'boolean')
    .sort((a, b) => b.instancePath.length - a.instancePath.length);
  const e = sorted.find((x) => x.keyword === 'anyOf') ?? sorted[0] ?? errors[0];
  if (!e) return null;
  const path = pointerToPath(e.instancePath);
  const schema = schemaAt(path) as
    | {
        anyOf?: { const?: unknown; type?: string }[];
        type?: string;
        description?: string;
        minimum?: number;
        maximum?: number;
      }
    | undefined;
  let allowed = '';
  const consts = schema?.anyOf?.map((s) => s.const).filter((c) => c !== undefined) ?? [];
  if (consts.length) allowed = `allowed values: ${consts.map((c) => JSON.stringify(c)).join(', ')}`;
  else if (schema?.anyOf) allowed = `allowed: ${schema.anyOf.map((s) => s.type).join(' or ')}`;
  else if (schema?.type) {
    const range = [
      schema.minimum !== undefined ? `>= ${schema.minimum}` : '',
      schema.maximum !== undefined ? `<= ${schema.maximum}` : '',
    ]
      .filter(Boolean)
      .join(' and ');
    allowed = `expected ${schema.type === 'integer' ? 'an integer' : `a ${schema.type}`}${range ? ` ${range}` : ''}`;
  }
  const got = valueAt(value, path);
  const shown = /password|secret/i.test(path.join('.')) ? '(hidden)' : JSON.stringify(got);
  return new ConfigError(
    file,
    path.join('.'),
    locateTomlKey(text, path),
    `invalid value ${shown}; ${allowed || e.message}`,
  );
}

// proxy-addr (Fastify's trustProxy) also takes these names; anything else must be an address or a CIDR.
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** `[server] trusted_proxies` entries the control plane could not compile, named with their line. */
function badProxy(config: Config, text: string, file: string): ConfigError | null {
  for (const entry of config.server.trusted_proxies) {
    if (PROXY_NAMES.has(entry) || ipaddr.isValid(entry)) continue;
    try {
      ipaddr.parseCIDR(entry);
      continue;
    } catch {
      return new ConfigError(
        file,
        'server.trusted_proxies',
        locateTomlKey(text, ['server', 'trusted_proxies']),
        `invalid value ${JSON.stringify(entry)}; expected an IP address or a CIDR such as "10.0.0.0/8"`,
      );
    }
  }
  return null;
}

/** `[metrics] access = "token"` without a token would leave /metrics closed to everyone: say so at start. */
function missingMetricsToken(config: Config, text: string, file: string): ConfigError | null {
  if (config.metrics.access !== 'token' || config.metrics.token !== '') return null;
  return new ConfigError(
    file,
    'metrics.token',
    locateTomlKey(text, ['metrics', 'access']),
    'required when access = "token" (the bearer token Prometheus sends); use $env{NAME}',
  );
}

function pointerToPath(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function schemaAt(path: readonly string[]): unknown {
  let s: unknown = ConfigSchema;
  for (const p of path) {
    const node = s as {
      properties?: Record<string, unknown>;
      patternProperties?: Record<string, unknown>;
      items?: unknown;
    };
    if (node.properties?.[p]) s = node.properties[p];
    else if (node.patternProperties) s = Object.values(node.patternProperties)[0];
    else if (node.items) s = node.items;
    else return undefined;
  }
  return s;
}

function allowedKeys(path: readonly string[]): string[] {
  const s = schemaAt(path) as { properties?: Record<string, unknown> } | undefined;
  return s?.properties ? Object.keys(s.properties) : [];
}

function valueAt(v: unknown, path: readonly string[]): unknown {
  let cur = v;
  for (const p of path) cur = (cur as Record<string, unknown> | undefined)?.[p];
  return cur;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
