import { RestError } from '../../core/index.js';

export interface Paging {
  limit: number;
  offset: number;
}

/**
 * Reads WSO2 `limit` (default 25, at most 1000) and `offset` (default 0) query parameters.
 * @throws RestError VALIDATION_FAILED for values that are not non-negative integers.
 */
export function parsePaging(query: Record<string, unknown>): Paging {
  const num = (name: string, dflt: number, min: number) => {
    const v = query[name];
    if (v === undefined || v === '') return dflt;
    const n = typeof v === 'string' && /^\d{1,9}$/.test(v) ? Number(v) : NaN;
    if (!Number.isInteger(n) || n < min)
      throw new RestError('VALIDATION_FAILED', `${name} must be an integer >= ${min}`);
    return n;
  };
  return { limit: Math.min(num('limit', 25, 1), 1000), offset: num('offset', 0, 0) };
}

/** One page of `all` in WSO2's list shape `{count, list, pagination}`. */
export function page<T>(all: readonly T[], p: Paging, path: string, extra = '') {
  const list = all.slice(p.offset, p.offset + p.limit);
  const link = (offset: number) => `${path}?limit=${p.limit}&offset=${offset}${extra}`;
  return {
    count: list.length,
    list,
    pagination: {
      offset: p.offset,
      limit: p.limit,
      total: all.length,
      next: p.offset + p.limit < all.length ? link(p.offset + p.limit) : '',
      previous: p.offset > 0 ? link(Math.max(0, p.offset - p.limit)) : '',
    },
  };
}

/**
 * Matches WSO2-style search queries: `name:pizza`, `context:/pizza`, `version:`, `provider:`, `status:`, `tag:`,
 * or free words (searched in name, context, description, provider and tags), case-insensitive, all terms must match.
 */
export function matchesQuery(
  query: string | undefined,
  fields: {
    name: string;
    context: string;
    version: string;
    provider: string;
    status: string;
    description: string;
    tags: readonly string[];
  },
): boolean {
  const terms = (query ?? '').trim().toLowerCase().split(/\s+/).filter(Boolean);
  return terms.every((term) => {
    const colon = term.indexOf(':');
    const key = colon > 0 ? term.slice(0, colon) : '';
    const value = colon > 0 ? term.slice(colon + 1) : term;
    const has = (s: string) => s.toLowerCase().includes(value);
    switch (key) {
      case 'name':
        return has(fields.name);
      case 'context':
        return has(fields.context);
      case 'version':
        return has(fields.version);
      case 'provider':
        return has(fields.provider);
      case 'status':
      case 'lifecyclestatus':
        return fields.status.toLowerCase() === value;
      case 'tag':
      case 'tags':
        return fields.tags.some((t) => t.toLowerCase() === value);
      case 'description':
        return has(fields.description);
      default:
        return [fields.name, fields.context, fields.description, fields.provider, ...fields.tags].some((s) =>
          s.toLowerCase().includes(term),
        );
    }
  });
}
