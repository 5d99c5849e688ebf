import type { CompiledApi } from '../snapshot/compiled-snapshot.js';

/** Where a request path landed: the API and the raw path after `/{context}/{version}` (may be empty). */
export interface RouteMatch {
  readonly api: CompiledApi;
  readonly restPath: string;
}

/**
 * Finds the API serving `path` (`/{context}/{version}/{rest}` or exactly `/{context}/{version}`) by looking up
 * every segment-boundary prefix in the `routes` map (key `context/version`). Shortest prefix wins.
 */
export function matchRoute(routes: ReadonlyMap<string, CompiledApi>, path: string): RouteMatch | null {
  let from = 1;
  for (let i = 0; i < 16; i++) {
    const slash = path.indexOf('/', from);
    const end = slash < 0 ? path.length : slash;
    const api = routes.get(path.slice(0, end));
    if (api !== undefined) return { api, restPath: path.slice(end) };
    if (slash < 0) return null;
    from = slash + 1;
  }
  return null;
}
