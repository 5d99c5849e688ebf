import ipaddr from 'ipaddr.js';
import { parseRefererPattern, RestError, type KeyType } from '../../../core/index.js';

/** A validated `APIKeyGenerateRequest`. */
export interface GenerateRequest {
  /** Seconds; -1 = never expires (WSO2's default when the body or field is missing). */
  validityPeriod: number;
  /** Trimmed name, or null to generate one. */
  keyName: string | null;
  /** Normalized comma list (entries trimmed), `''` when given empty, null when absent. */
  permittedIP: string | null;
  permittedReferer: string | null;
}

const INT32_MAX = 2147483647;
const MAX_KEY_NAME = 100;
const MAX_RESTRICTION_ENTRIES = 100;
const MAX_RESTRICTION_LENGTH = 4096;

/** `PRODUCTION`/`SANDBOX`, case-insensitive (WSO2). @throws RestError INVALID_KEY_TYPE */
export function parseKeyType(raw: string): KeyType {
  const upper = raw.toUpperCase();
  if (upper === 'PRODUCTION' || upper === 'SANDBOX') return upper;
  throw new RestError('INVALID_KEY_TYPE', `Invalid keyType '${raw}': use PRODUCTION or SANDBOX`);
}

/**
 * Validates the optional generate body. @throws RestError VALIDATION_FAILED (types, lengths) or
 * INVALID_RESTRICTION (an IP/CIDR or referrer entry that is not one; the description names it).
 */
export function parseGenerateRequest(body: unknown): GenerateRequest {
  if (body === undefined || body === null) {
    return { validityPeriod: -1, keyName: null, permittedIP: null, permittedReferer: null };
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new RestError('VALIDATION_FAILED', 'The body must be an APIKeyGenerateRequest object');
  }
  const b = body as Record<string, unknown>;

  let validityPeriod = -1;
  if (b.validityPeriod !== undefined && b.validityPeriod !== null) {
    const v = b.validityPeriod;
    // WSO2 signs `-5` or `0` too, with `exp` before `iat`: a key born expired that the clock skew still lets in.
    if (typeof v !== 'number' || !Number.isInteger(v) || (v !== -1 && (v < 1 || v > INT32_MAX))) {
      throw new RestError(
        'VALIDATION_FAILED',
        'validityPeriod must be -1 (never expires) or a positive 32-bit number of seconds',
      );
    }
    validityPeriod = v;
  }

  let keyName: string | null = null;
  if (b.keyName !== undefined && b.keyName !== null) {
    if (typeof b.keyName !== 'string') throw new RestError('VALIDATION_FAILED', 'keyName must be a string');
    const name = b.keyName.trim();
    if (name.length > MAX_KEY_NAME) {
      throw new RestError('VALIDATION_FAILED', `keyName must be at most ${MAX_KEY_NAME} characters`);
    }
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(name)) {
      throw new RestError('VALIDATION_FAILED', 'keyName must not contain control characters');
    }
    keyName = name === '' ? null : name;
  }

  let permittedIP: string | null = null;
  let permittedReferer: string | null = null;
  const extra = b.additionalProperties;
  if (extra !== undefined && extra !== null) {
    if (typeof extra !== 'object' || Array.isArray(extra)) {
      throw new RestError('VALIDATION_FAILED', 'additionalProperties must be an object');
    }
    const props = extra as Record<string, unknown>;
    permittedIP = restriction(props.permittedIP, 'permittedIP', (e) =>
      isIpOrCidr(e) ? null : 'not an IPv4/IPv6 address or CIDR',
    );
    permittedReferer = restriction(props.permittedReferer, 'permittedReferer', refererPatternProblem);
  }
  return { validityPeriod, keyName, permittedIP, permittedReferer };
}

/** Validates one entry; returns why it is not valid, or null. */
type EntryCheck = (entry: string) => string | null;

function restriction(value: unknown, field: string, valid: EntryCheck): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string')
    throw new RestError('VALIDATION_FAILED', `additionalProperties.${field} must be a string`);
  // WSO2 emits a present-but-empty restriction as "" and the gateway treats it as no restriction (§2.6).
  if (value.trim() === '') return '';
  if (value.length > MAX_RESTRICTION_LENGTH) {
    throw new RestError(
      'INVALID_RESTRICTION',
      `${field} must be at most ${MAX_RESTRICTION_LENGTH} characters`,
    );
  }
  const entries = value.split(',').map((e) => e.trim());
  if (entries.length > MAX_RESTRICTION_ENTRIES) {
    throw new RestError(
      'INVALID_RESTRICTION',
      `${field} must list at most ${MAX_RESTRICTION_ENTRIES} entries`,
    );
  }
  for (const entry of entries) {
    const problem = valid(entry);
    if (problem !== null) {
      const shown = entry === '' ? 'an empty entry' : `'${entry.slice(0, 200)}'`;
      throw new RestError('INVALID_RESTRICTION', `Invalid ${field} entry: ${shown} (${problem})`);
    }
  }
  return entries.join(',');
}

/** IPv4 (dotted quad only), IPv6 (no zone id), or either as a CIDR with a prefix within range. */
export function isIpOrCidr(entry: string): boolean {
  const slash = entry.indexOf('/');
  const addr = slash < 0 ? entry : entry.slice(0, slash);
  let maxBits: number;
  if (ipaddr.IPv4.isValidFourPartDecimal(addr)) maxBits = 32;
  else if (ipaddr.IPv6.isValid(addr) && !addr.includes('%')) maxBits = 128;
  else return false;
  if (slash < 0) return true;
  const prefix = entry.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(prefix) || Number(prefix) > maxBits) return false;
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why `entry` is not a referrer pattern the gateway can match exactly (see `RefererPattern` in core), or null.
 * Refuses what the gateway would never match or would match too widely: other schemes (`javascript:`), a bare `*`
 * host, `*` inside a host, userinfo, query or fragment.
 */
export function refererPatternProblem(entry: string): string | null {
  const parsed = parseRefererPattern(entry);
  return 'error' in parsed ? parsed.error : null;
}
