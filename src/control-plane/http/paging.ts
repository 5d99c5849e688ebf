import { RestError } from '../../core/index.js';

/** One page of a REST list: `limit` items from `offset`. */
export interface Paging {
  limit: number;
  offset: number;
}

/** Query-string schema fragments for paging (validated by Fastify; strings because query types are not coerced). */
export const PagingQuery = {
  limit: { type: 'string', pattern: '^(?:[1-9][0-9]{0,3})$' },
  offset: { type: 'string', pattern: '^(?:0|[1-9][0-9]{0,8})$' },
} as const;

/**
 * Reads WSO2 `limit` (default 25, at most `maxLimit`, 1000 unless given; null for no cap) and `offset` (default 0)
 * query parameters.
 * @throws RestError VALIDATION_FAILED for values that are not integers (limit >= 1, offset >= 0).
 */
export function parsePaging(query: Record<string, unknown>, opts: { maxLimit?: number | null } = {}): Paging {
  const num = (name: string, dflt: number, min: number) => {
    const v = query[name];
    if (v === undefined || v === '') return dflt;
    const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min)
      throw new RestError('VALIDATION_FAILED', `${name} must be an integer >= ${min}`);
    return n;
  };
  const maxLimit = opts.maxLimit === undefined ? 1000 : opts.maxLimit;
  const limit = num('limit', 25, 1);
  return { limit: maxLimit === null ? limit : Math.min(limit, maxLimit), offset: num('offset', 0, 0) };
}

/** WSO2 `Pagination`: `next`/`previous` are relative links (with `extra` query text), empty when there is none. */
export function pagination(path: string, offset: number, limit: number, total: number, extra = '') {
  const link = (at: number) => `${path}?limit=${limit}&offset=${at}${extra}`;
  return {
    offset,
    limit,
    total,
    next: offset + limit < total ? link(offset + limit) : '',
    previous: offset > 0 ? link(Math.max(0, offset - limit)) : '',
  };
}

/** One page of `all` in WSO2's list shape `{count, list, pagination}`. */
export function page<T>(all: readonly T[], p: Paging, path: string, extra = '') {
  const list = all.slice(p.offset, p.offset + p.limit);
  return { count: list.length, list, pagination: pagination(path, p.offset, p.limit, all.length, extra) };
}
