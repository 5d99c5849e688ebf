import { apisRepository, sharedScopesRepository, type Queryable } from '../store/index.js';
import { OAuthError } from './oauth-error.js';

/** Decides whether roles allow a REST scope (`apim:*`); injected so the key manager never imports control-plane. */
export type RestScopeAllowed = (scope: string, roles: readonly string[]) => boolean | Promise<boolean>;

/** RFC 6749 §3.3 scope-token characters (no space, quote or backslash). */
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]{1,200}$/;

/**
 * The most scopes one token request may name: above the 107 system scopes WSO2 defines (a client such as apictl asks
 * for most of them at once), bounded so the scope checks stay cheap.
 */
export const MAX_REQUESTED_SCOPES = 256;

/**
 * Splits a `scope` parameter. @throws OAuthError invalid_scope for characters RFC 6749 forbids or too many scopes.
 */
export function parseScopeParam(value: string | undefined): string[] {
  if (value === undefined) return [];
  const parts = value.split(' ').filter((s) => s.length > 0);
  if (parts.length > MAX_REQUESTED_SCOPES) throw new OAuthError('invalid_scope', 'Too many scopes requested');
  for (const p of parts) {
    if (!SCOPE_TOKEN.test(p))
      throw new OAuthError('invalid_scope', 'A requested scope has invalid characters');
  }
  return [...new Set(parts)];
}

/**
 * The scopes a token gets (wso2-compat.md §5.5): `default` always; `apim:*` when `restAllowed` says the roles hold
 * it; a Publisher shared scope when it has no binding or a binding to one of the roles; other scopes when an API
 * registers them (Publisher DTO `scopes[].scope.{name, bindings}`) the same way. Scopes the roles do not allow and
 * unregistered scopes are dropped (the permitted subset, never an error), like WSO2's role-based scope validator.
 */
export async function grantedScopes(
  db: Queryable,
  requested: readonly string[],
  roles: readonly string[],
  restAllowed: RestScopeAllowed,
): Promise<string[]> {
  const out: string[] = [];
  const normalizedRoles = new Set(roles.map(normalizeRole));
  for (const scope of requested) {
    if (scope === 'default') continue;
    if (scope.startsWith('apim:')) {
      if (await restAllowed(scope, roles)) out.push(scope);
      continue;
    }
    if (await apiScopeAllowed(db, scope, normalizedRoles)) out.push(scope);
  }
  out.push('default');
  return out;
}

interface ApiScopesDto {
  scopes?: { scope?: { name?: unknown; bindings?: unknown } }[];
}

async function apiScopeAllowed(db: Queryable, scope: string, roles: Set<string>): Promise<boolean> {
  // A shared scope is decided by its own bindings (the copies in API definitions may be older).
  const shared = await sharedScopesRepository(db).findByName(scope);
  if (shared) return bindingsAllow(JSON.parse(shared.bindings), roles);
  // The text match only narrows the rows to parse; the decision is made on the parsed DTO below.
  const definitions = await apisRepository(db).definitionsContaining(JSON.stringify(scope));
  for (const definition of definitions) {
    let dto: ApiScopesDto;
    try {
      dto = JSON.parse(definition) as ApiScopesDto;
    } catch {
      continue;
    }
    for (const entry of dto.scopes ?? []) {
      if (entry.scope?.name !== scope) continue;
      if (bindingsAllow(entry.scope.bindings, roles)) return true;
    }
  }
  return false;
}

/** No binding (anyone) or a binding to one of `roles`. */
function bindingsAllow(value: unknown, roles: Set<string>): boolean {
  const bindings = Array.isArray(value) ? value.filter((b): b is string => typeof b === 'string') : [];
  return bindings.length === 0 || bindings.some((b) => roles.has(normalizeRole(b)));
}

/** WSO2 binds `Internal/subscriber`; Portico's role is `subscriber`. */
function normalizeRole(role: string): string {
  const r = role.toLowerCase();
  return r.startsWith('internal/') ? r.slice('internal/'.length) : r;
}
