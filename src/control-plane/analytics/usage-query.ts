import { RestError } from '../../core/index.js';

export type Granularity = 'minute' | 'hour' | 'day';

/** A validated usage query: `[from, to)` in epoch ms aligned to `granularity` (UTC), `stepMs` per point. */
export interface UsageWindow {
  readonly from: number;
  readonly to: number;
  readonly granularity: Granularity;
  readonly stepMs: number;
}

const STEP: Record<Granularity, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };
/** The longest range per granularity: at most 1 440, 744 and 366 points. */
const MAX_RANGE: Record<Granularity, number> = {
  minute: 86_400_000,
  hour: 31 * 86_400_000,
  day: 366 * 86_400_000,
};
/** Without `from`: the last hour, day or 30 days up to `to`. */
const DEFAULT_RANGE: Record<Granularity, number> = {
  minute: 3_600_000,
  hour: 86_400_000,
  day: 30 * 86_400_000,
};
const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;
/** 2000-01-01 to 2100-01-01: anything outside is a typo, not a query. */
const EARLIEST = 946_684_800_000;
const LATEST = 4_102_444_800_000;

/** The query string the usage routes accept (each value a string; checked by {@link usageWindowOf}). */
export const UsageQuerySchema = {
  type: 'object',
  properties: {
    from: { type: 'string', minLength: 1, maxLength: 40 },
    to: { type: 'string', minLength: 1, maxLength: 40 },
    granularity: { type: 'string', minLength: 1, maxLength: 16 },
  },
  additionalProperties: false,
} as const;

export interface UsageQueryParams {
  from?: string;
  to?: string;
  granularity?: string;
}

/**
 * `from`/`to` (epoch ms or ISO-8601 with a zone; defaults: `to` now, `from` an hour, a day or 30 days before it
 * for minute, hour and day) and `granularity`
 * (`minute` | `hour` | `day`, default `hour`). `from` is rounded down and `to` up to whole steps (UTC).
 * @throws RestError INVALID_USAGE_QUERY (unparseable, outside 2000–2100, `from` not before `to`),
 * USAGE_RANGE_TOO_LARGE
 */
export function usageWindowOf(q: UsageQueryParams, now: number): UsageWindow {
  const g = q.granularity ?? 'hour';
  if (g !== 'minute' && g !== 'hour' && g !== 'day')
    throw new RestError('INVALID_USAGE_QUERY', 'granularity must be minute, hour or day');
  const step = STEP[g];
  const toRaw = q.to === undefined ? now : timeOf('to', q.to);
  const fromRaw = q.from === undefined ? toRaw - DEFAULT_RANGE[g] : timeOf('from', q.from);
  if (fromRaw >= toRaw) throw new RestError('INVALID_USAGE_QUERY', 'from must be before to');
  const from = fromRaw - (fromRaw % step);
  const to = Math.ceil(toRaw / step) * step;
  // The range asked for is bounded; rounding it out to whole steps may add one step.
  if (toRaw - fromRaw > MAX_RANGE[g])
    throw new RestError(
      'USAGE_RANGE_TOO_LARGE',
      `A ${g} granularity covers at most ${MAX_RANGE[g] / 86_400_000} day(s); narrow from/to or use a coarser granularity`,
    );
  return { from, to, granularity: g, stepMs: step };
}

function timeOf(name: string, v: string): number {
  const n = /^\d{1,15}$/.test(v) ? Number(v) : ISO.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(n) || n < EARLIEST || n > LATEST)
    throw new RestError(
      'INVALID_USAGE_QUERY',
      `${name} must be epoch milliseconds or an ISO-8601 time with a zone (2026-12-01T10:00:00Z) between 2000 and 2100`,
    );
  return n;
}
