/** A compiled URI template of a resource (`/order/{orderId}`, `/menu`, `/*`). */
export interface ResourceTemplate {
  /** True when `path` (relative to the API context and version, starting with `/`) matches. */
  matches(path: string): boolean;
  /** Higher is more specific; used to sort so the most specific template wins. */
  readonly specificity: number;
}

const REGEX_META = /[.+?^${}()|[\]\\]/g;

/**
 * Compiles a WSO2 URI template: `{name}` matches one non-empty path segment, a trailing `/*` matches the rest
 * of the path (including nothing), a `*` elsewhere matches within one segment. A trailing `/` on the request
 * path is ignored.
 *
 * @example
 * compileResourceTemplate('/order/{orderId}').matches('/order/42') // true
 */
export function compileResourceTemplate(target: string): ResourceTemplate {
  let t = target.startsWith('/') ? target : `/${target}`;
  let tail = '';
  let wildcardTail = false;
  if (t === '/*' || t.endsWith('/*')) {
    t = t.slice(0, -2);
    tail = '(?:/.*)?';
    wildcardTail = true;
  }
  const segments = t.split('/').slice(1);
  let literalSegments = 0;
  let paramSegments = 0;
  const pattern = segments
    .map((segment) => {
      if (/^\{[^}]+\}$/.test(segment)) {
        paramSegments++;
        return '/[^/]+';
      }
      if (!segment.includes('{') && !segment.includes('*')) literalSegments++;
      else paramSegments++;
      const escaped = segment
        .replace(REGEX_META, (c) => (c === '{' || c === '}' ? c : `\\${c}`))
        .replace(/\{[^}]+\}/g, '[^/]+')
        .replace(/\*/g, '[^/]*');
      return `/${escaped}`;
    })
    .join('');
  const regex = new RegExp(`^${pattern}${tail}$`);
  const specificity =
    (wildcardTail ? 0 : 1_000_000) + segments.length * 1000 + literalSegments * 10 - paramSegments;
  return {
    specificity,
    matches: (path) => {
      const p = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
      return regex.test(p === '' ? '/' : p);
    },
  };
}
