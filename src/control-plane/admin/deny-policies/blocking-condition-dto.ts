import { canonicalIp, ipPosition, RestError, type BlockingConditionType } from '../../../core/index.js';
import type { BlockingConditionRow } from '../../../store/index.js';

/** WSO2 `BlockingCondition` on the wire. */
export interface BlockingConditionDto {
  conditionId: string;
  conditionType: BlockingConditionType;
  conditionValue: string | Record<string, string | boolean>;
  conditionStatus: boolean;
}

/** A validated condition: `value` is the canonical text stored (and compared for duplicates). */
export interface ParsedBlockingCondition {
  readonly type: BlockingConditionType;
  readonly value: string;
  readonly enabled: boolean;
}

const TYPES: readonly BlockingConditionType[] = ['API', 'APPLICATION', 'IP', 'IPRANGE', 'USER'];
const BODY_FIELDS = new Set(['conditionId', 'conditionType', 'conditionValue', 'conditionStatus']);
/** `/context/version`: path segments of URL-safe characters, at least two. */
const API_CONTEXT_RE = /^(\/[A-Za-z0-9._~{}-]+){2,}$/;
/** Printable, no whitespace or control characters. */
const NAME_RE = /^[^\s\p{Cc}]+$/u;
const MAX_TEXT = 256;

const invalid = (why: string): RestError => new RestError('INVALID_BLOCKING_CONDITION', why);

/**
 * Validates a `POST /throttling/deny-policies` body as WSO2 takes it and returns its canonical form.
 * `conditionId` is assigned by the server and ignored; `conditionStatus` defaults to true.
 *
 * @throws RestError INVALID_BLOCKING_CONDITION (400): not an object, unknown field or type, value of the wrong
 *   shape, bad IP address, range of mixed families or with start after end.
 */
export function parseBlockingCondition(body: unknown): ParsedBlockingCondition {
  if (!isRecord(body)) throw invalid('The body must be a BlockingCondition object');
  const unknown = Object.keys(body).filter((k) => !BODY_FIELDS.has(k));
  if (unknown.length > 0) throw invalid(`Unsupported field(s): ${unknown.join(', ')}`);
  const type = body.conditionType;
  if (typeof type !== 'string' || !(TYPES as readonly string[]).includes(type))
    throw invalid(`conditionType must be one of ${TYPES.join(', ')}`);
  const status = body.conditionStatus ?? true;
  if (typeof status !== 'boolean') throw invalid('conditionStatus must be a boolean');
  return {
    type: type as BlockingConditionType,
    value: canonicalValue(type as BlockingConditionType, body.conditionValue),
    enabled: status,
  };
}

/** Parses a `BlockingConditionStatus` body. @throws RestError INVALID_BLOCKING_CONDITION */
export function parseConditionStatus(body: unknown): boolean {
  if (!isRecord(body) || typeof body.conditionStatus !== 'boolean')
    throw invalid('The body must be a BlockingConditionStatus with a boolean conditionStatus');
  const unknown = Object.keys(body).filter((k) => k !== 'conditionId' && k !== 'conditionStatus');
  if (unknown.length > 0) throw invalid(`Unsupported field(s): ${unknown.join(', ')}`);
  return body.conditionStatus;
}

function canonicalValue(type: BlockingConditionType, value: unknown): string {
  switch (type) {
    case 'API':
      return text(value, API_CONTEXT_RE, 'an API context with its version, e.g. /pizzashack/1.0.0');
    case 'APPLICATION': {
      const v = text(value, NAME_RE, 'owner:applicationName');
      const colon = v.indexOf(':');
      if (colon <= 0 || colon === v.length - 1)
        throw invalid('An APPLICATION value is owner:applicationName');
      return v;
    }
    case 'USER':
      return text(value, NAME_RE, 'a username');
    case 'IP': {
      const v = ipObject(value, ['fixedIp']);
      return JSON.stringify({ fixedIp: ip(v.fixedIp, 'fixedIp'), invert: v.invert });
    }
    case 'IPRANGE': {
      const v = ipObject(value, ['startingIp', 'endingIp']);
      const start = ipPosition(ip(v.startingIp, 'startingIp'));
      const end = ipPosition(ip(v.endingIp, 'endingIp'));
      if (start === null || end === null || start.family !== end.family)
        throw invalid('startingIp and endingIp must be of the same IP family');
      if (start.value > end.value) throw invalid('startingIp must not be after endingIp');
      return JSON.stringify({
        startingIp: ip(v.startingIp, 'startingIp'),
        endingIp: ip(v.endingIp, 'endingIp'),
        invert: v.invert,
      });
    }
  }
}

function text(value: unknown, re: RegExp, what: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TEXT || !re.test(value))
    throw invalid(`conditionValue must be ${what}`);
  return value;
}

function ipObject(value: unknown, fields: readonly string[]): Record<string, unknown> & { invert: boolean } {
  const what = `{${fields.map((f) => `"${f}": "..."`).join(', ')}, "invert": false}`;
  if (!isRecord(value)) throw invalid(`conditionValue must be ${what}`);
  const extra = Object.keys(value).filter((k) => k !== 'invert' && !fields.includes(k));
  if (extra.length > 0) throw invalid(`Unsupported conditionValue field(s): ${extra.join(', ')}`);
  const invert = value.invert ?? false;
  if (typeof invert !== 'boolean') throw invalid('invert must be a boolean');
  return { ...value, invert };
}

function ip(value: unknown, field: string): string {
  const canonical = typeof value === 'string' && value.length <= 64 ? canonicalIp(value) : null;
  if (canonical === null) throw invalid(`${field} must be an IPv4 or IPv6 address`);
  return canonical;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The WSO2 wire form of a stored condition. */
export function blockingConditionDto(row: BlockingConditionRow): BlockingConditionDto {
  const type = row.condition_type as BlockingConditionType;
  const isIp = type === 'IP' || type === 'IPRANGE';
  return {
    conditionId: row.uuid,
    conditionType: type,
    conditionValue: isIp
      ? (JSON.parse(row.condition_value) as Record<string, string | boolean>)
      : row.condition_value,
    conditionStatus: row.enabled === 1,
  };
}
