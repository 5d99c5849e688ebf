import { bad, isObject, str, strList, type Problems } from './api-dto-fields.js';

/** WSO2 `APICorsConfiguration`. */
export interface CorsConfiguration {
  corsConfigurationEnabled: boolean;
  accessControlAllowOrigins: string[];
  accessControlAllowCredentials: boolean;
  accessControlAllowHeaders: string[];
  accessControlAllowMethods: string[];
}

/** WSO2 `APIMaxTps` (backend throttling); null = no limit. */
export interface MaxTps {
  production?: number;
  productionTimeUnit: 'SECOND' | 'MINUTE' | 'HOUR';
  sandbox?: number;
  sandboxTimeUnit: 'SECOND' | 'MINUTE' | 'HOUR';
}

/** One of the API's `additionalProperties` (custom properties; `display` = shown in the Developer Portal). */
export interface AdditionalProperty {
  name: string;
  value: string;
  display: boolean;
}

/**
 * Publisher API DTO fields Portico stores and returns as sent. Which of them the gateway or the Developer
 * Portal enforces is listed in docs/wso2-compatibility.md ("Stored settings and what Portico enforces").
 */
export interface ApiStoredFields {
  corsConfiguration: CorsConfiguration;
  additionalProperties: AdditionalProperty[];
  accessControl: 'NONE' | 'RESTRICTED';
  accessControlRoles: string[];
  subscriptionAvailability: 'CURRENT_TENANT' | 'ALL_TENANTS' | 'SPECIFIC_TENANTS';
  subscriptionAvailableTenants: string[];
  maxTps: MaxTps | null;
  categories: string[];
  keyManagers: string[];
}

/** Names of the stored fields (a client may write them). */
export const STORED_FIELDS = [
  'corsConfiguration',
  'additionalProperties',
  'accessControl',
  'accessControlRoles',
  'subscriptionAvailability',
  'subscriptionAvailableTenants',
  'maxTps',
  'categories',
  'keyManagers',
] as const;

/** WSO2's defaults, also what an API stored before these fields were kept reads as. */
export function storedDefaults(): ApiStoredFields {
  return {
    corsConfiguration: {
      corsConfigurationEnabled: false,
      accessControlAllowOrigins: ['*'],
      accessControlAllowCredentials: false,
      accessControlAllowHeaders: [
        'authorization',
        'Access-Control-Allow-Origin',
        'Content-Type',
        'SOAPAction',
        'apikey',
      ],
      accessControlAllowMethods: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'OPTIONS'],
    },
    additionalProperties: [],
    accessControl: 'NONE',
    accessControlRoles: [],
    subscriptionAvailability: 'CURRENT_TENANT',
    subscriptionAvailableTenants: [],
    maxTps: null,
    categories: [],
    keyManagers: ['all'],
  };
}

const TIME_UNITS = ['SECOND', 'MINUTE', 'HOUR'] as const;
const AVAILABILITY = ['CURRENT_TENANT', 'ALL_TENANTS', 'SPECIFIC_TENANTS'] as const;
const oneOf = <T extends string>(v: unknown, values: readonly T[]): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

/**
 * Parses the stored fields of `src` (already merged over the current API for a PUT); a field that is absent or
 * null takes WSO2's default. Problems go to `p`.
 */
export function parseStoredFields(src: Record<string, unknown>, p: Problems): ApiStoredFields {
  const d = storedDefaults();
  const list = (k: string, fallback: string[]) => strList(src[k], k, p) ?? fallback;
  const accessControl = src.accessControl ?? d.accessControl;
  if (!oneOf(accessControl, ['NONE', 'RESTRICTED'] as const))
    p.push(bad('accessControl', "must be 'NONE' or 'RESTRICTED'"));
  const availability = src.subscriptionAvailability ?? d.subscriptionAvailability;
  if (!oneOf(availability, AVAILABILITY))
    p.push(bad('subscriptionAvailability', `must be one of ${AVAILABILITY.join(', ')}`));
  return {
    corsConfiguration: cors(src.corsConfiguration, d.corsConfiguration, p),
    additionalProperties: properties(src.additionalProperties, p),
    accessControl: accessControl as ApiStoredFields['accessControl'],
    accessControlRoles: [...new Set(list('accessControlRoles', []))],
    subscriptionAvailability: availability as ApiStoredFields['subscriptionAvailability'],
    subscriptionAvailableTenants: list('subscriptionAvailableTenants', []),
    maxTps: maxTps(src.maxTps, p),
    categories: [...new Set(list('categories', []))],
    keyManagers: [...new Set(list('keyManagers', d.keyManagers))],
  };
}

function cors(v: unknown, d: CorsConfiguration, p: Problems): CorsConfiguration {
  if (v === undefined || v === null) return d;
  if (!isObject(v)) {
    p.push(bad('corsConfiguration', 'must be an object'));
    return d;
  }
  const flag = (k: 'corsConfigurationEnabled' | 'accessControlAllowCredentials') => {
    if (v[k] === undefined || v[k] === null) return d[k];
    if (typeof v[k] !== 'boolean') p.push(bad(`corsConfiguration.${k}`, 'must be a boolean'));
    return v[k] === true;
  };
  const list = (k: 'accessControlAllowOrigins' | 'accessControlAllowHeaders' | 'accessControlAllowMethods') =>
    strList(v[k], `corsConfiguration.${k}`, p) ?? d[k];
  return {
    corsConfigurationEnabled: flag('corsConfigurationEnabled'),
    accessControlAllowOrigins: list('accessControlAllowOrigins'),
    accessControlAllowCredentials: flag('accessControlAllowCredentials'),
    accessControlAllowHeaders: list('accessControlAllowHeaders'),
    accessControlAllowMethods: list('accessControlAllowMethods'),
  };
}

function properties(v: unknown, p: Problems): AdditionalProperty[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) {
    p.push(bad('additionalProperties', 'must be an array of {name, value, display}'));
    return [];
  }
  const seen = new Set<string>();
  return v.flatMap((item: unknown, i) => {
    const at = `additionalProperties[${i}]`;
    if (!isObject(item)) {
      p.push(bad(at, 'must be an object {name, value, display}'));
      return [];
    }
    const name = str(item.name, `${at}.name`, p, { required: true });
    const value = typeof item.value === 'string' ? item.value : (str(item.value, `${at}.value`, p) ?? '');
    if (item.display !== undefined && item.display !== null && typeof item.display !== 'boolean')
      p.push(bad(`${at}.display`, 'must be a boolean'));
    if (name === undefined) return [];
    if (seen.has(name)) p.push(bad(`${at}.name`, `duplicates property ${name}`));
    seen.add(name);
    return [{ name, value, display: item.display === true }];
  });
}

function maxTps(v: unknown, p: Problems): MaxTps | null {
  if (v === undefined || v === null) return null;
  if (!isObject(v)) {
    p.push(bad('maxTps', 'must be an object'));
    return null;
  }
  const out: MaxTps = { productionTimeUnit: 'SECOND', sandboxTimeUnit: 'SECOND' };
  for (const env of ['production', 'sandbox'] as const) {
    const n = v[env];
    if (n !== undefined && n !== null) {
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0)
        p.push(bad(`maxTps.${env}`, 'must be an integer >= 0'));
      else out[env] = n;
    }
    const unit = v[`${env}TimeUnit`] ?? 'SECOND';
    if (!oneOf(unit, TIME_UNITS))
      p.push(bad(`maxTps.${env}TimeUnit`, `must be one of ${TIME_UNITS.join(', ')}`));
    else out[`${env}TimeUnit`] = unit;
  }
  const tokens = v.tokenBasedThrottlingConfiguration;
  if (isObject(tokens) && tokens.isTokenBasedThrottlingEnabled === true)
    p.push(
      bad('maxTps.tokenBasedThrottlingConfiguration', 'is not supported (token-based throttling of AI APIs)'),
    );
  return out;
}
