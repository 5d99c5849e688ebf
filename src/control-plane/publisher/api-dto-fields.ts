import { AUTH_TYPE_APP_AND_USER } from '../../core/index.js';
import { refuseUnsupportedFields } from '../http/unsupported-fields.js';
import {
  ENDPOINT_CONFIG_FIELDS,
  ENDPOINT_FIELDS,
  ENDPOINT_SETTINGS_FIELDS,
  OPERATION_FIELDS,
} from './api-field-support.js';

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

/** HTTP verbs an operation may use. */
export const VERBS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
/** Operation auth types (WSO2 `x-auth-type`). */
export const AUTH_TYPES = [AUTH_TYPE_APP_AND_USER, 'Application', 'Application User', 'None'];
const TARGET_RE = /^\/[^\s?#]*$/;
const SCOPE_RE = /^[A-Za-z0-9:_.-]{1,100}$/;

/** Validation problems collected before one VALIDATION_FAILED is thrown. */
export type Problems = { code: string; message: string }[];

/** Parses `endpointConfig` (http endpoints only), recording problems in `p`. */
export function endpoints(v: unknown, p: Problems): EndpointConfig | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) {
    p.push(bad('endpointConfig', 'must be an object'));
    return null;
  }
  refuseUnsupportedFields(v, ENDPOINT_CONFIG_FIELDS, 'endpointConfig.');
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
    refuseUnsupportedFields(e, ENDPOINT_FIELDS, `endpointConfig.${key}.`);
    if (isObject(e.config))
      refuseUnsupportedFields(e.config, ENDPOINT_SETTINGS_FIELDS, `endpointConfig.${key}.config.`);
    const def: EndpointDef = { url: e.url };
    if (isObject(e.config) && e.config.actionDuration !== undefined) {
      const ms = Number(e.config.actionDuration);
      if (!Number.isInteger(ms) || ms <= 0)
        p.push(
          bad(`endpointConfig.${key}.config.actionDuration`, 'must be a positive number of milliseconds'),
        );
      else def.config = { actionDuration: ms };
    }
    out[key] = def;
  }
  return out;
}

/** Parses the API's local `scopes`, recording problems in `p`. */
export function scopeList(v: unknown, p: Problems): ApiScope[] {
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
    const shared = isObject(item) && item.shared === true;
    if (
      isObject(item) &&
      item.shared !== undefined &&
      item.shared !== null &&
      typeof item.shared !== 'boolean'
    )
      p.push(bad(`scopes[${i}].shared`, 'must be a boolean'));
    // A shared scope (Publisher `/scopes`) is a reference by name: the service checks that it exists and copies
    // its display name, description and bindings (sharedScopeRefs in shared-scope-refs.ts).
    out.push({
      scope: {
        ...(typeof s.id === 'string' && s.id ? { id: s.id } : {}),
        name: s.name,
        displayName: typeof s.displayName === 'string' && s.displayName ? s.displayName : s.name,
        description: typeof s.description === 'string' ? s.description : '',
        bindings,
      },
      shared,
    });
  });
  return out;
}

/** Parses `operations`; every operation scope must be in `declared`. Problems go to `p`. */
export function operationList(v: unknown, declared: Set<string>, p: Problems): ApiOperation[] {
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
    refuseUnsupportedFields(item, OPERATION_FIELDS, `${at}.`);
    const verb = typeof item.verb === 'string' ? item.verb.toUpperCase() : '';
    if (!VERBS.includes(verb)) p.push(bad(`${at}.verb`, `must be one of ${VERBS.join(', ')}`));
    const target = typeof item.target === 'string' ? item.target : '';
    if (!TARGET_RE.test(target)) p.push(bad(`${at}.target`, "must start with '/' and contain no spaces"));
    if (seen.has(`${verb} ${target}`)) p.push(bad(at, `duplicates ${verb} ${target}`));
    seen.add(`${verb} ${target}`);
    let authType =
      item.authType === undefined || item.authType === null ? AUTH_TYPE_APP_AND_USER : item.authType;
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

/** Parses `businessInformation` (optional strings). */
export function business(v: unknown, p: Problems): BusinessInformation {
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

/** An optional (or required) trimmed string field. */
export function str(
  v: unknown,
  field: string,
  p: Problems,
  o: { required?: boolean } = {},
): string | undefined {
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

/** An optional array of strings. */
export function strList(v: unknown, field: string, p: Problems): string[] | undefined {
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

/** True for a plain (non-array) object. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** One validation problem about `field`. */
export const bad = (field: string, what: string) => ({
  code: 'VALIDATION_FAILED',
  message: `${field} ${what}`,
});
