import { RestError } from '../../core/index.js';

/** Accepts a value of an unsupported field when it means "feature not used"; `body` is the whole request body. */
export type InertValue = (v: unknown, body: Record<string, unknown>) => boolean;

/** How a resource's request fields are treated (WSO2 DTO fields Portico stores, ignores or does not support). */
export interface FieldSupport {
  /** What the body describes, for messages: `API`, `throttling policy`. */
  resource: string;
  /** Fields Portico stores. */
  writable: readonly string[];
  /** Read-only fields: accepted on input and ignored, as WSO2 does. */
  readOnly: ReadonlySet<string>;
  /** WSO2 fields Portico does not support, each with the values that mean "not used". */
  unsupported: Readonly<Record<string, InertValue>>;
}

/**
 * Refuses a body that sets a field Portico does not support, or a field that the resource does not have at all.
 * Every offending field is named: a value Portico would otherwise drop is never accepted silently, while a client
 * that PUTs back WSO2's (or Portico's) GET output of a resource not using those features keeps working.
 * @throws RestError UNSUPPORTED_FIELD
 */
export function refuseUnsupportedFields(body: Record<string, unknown>, spec: FieldSupport, at = ''): void {
  const problems = Object.entries(body).flatMap(([k, v]) => {
    if (spec.writable.includes(k) || spec.readOnly.has(k)) return [];
    const accepts = spec.unsupported[k];
    if (accepts?.(v, body)) return [];
    return [
      {
        code: 'UNSUPPORTED_FIELD',
        message: accepts
          ? `${at}${k} is not supported by Portico; leave it out or send WSO2's empty value`
          : `${at}${k} is not a field of the ${spec.resource}`,
      },
    ];
  });
  if (problems.length)
    throw new RestError('UNSUPPORTED_FIELD', problems.map((x) => x.message).join('; '), problems);
}

/** null, false, '', 0, an empty array, or an object of such values: the feature is not used. */
export function isInert(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '' || v === 0) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') return Object.values(v).every(isInert);
  return false;
}

/** An object whose on/off switch `flag` is not on (its other settings then have no effect). */
export function switchedOff(v: unknown, flag: string): boolean {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && (v as Record<string, unknown>)[flag] !== true
  );
}

/** An object that is inert apart from the listed keys holding exactly the listed values. */
export function isInertExcept(v: unknown, allowed: Record<string, string>): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  return Object.entries(v).every(([k, x]) => isInert(x) || allowed[k] === x);
}
