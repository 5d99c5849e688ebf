import { RestError } from '../../core/index.js';
import { sharedScopesRepository, type Queryable } from '../../store/index.js';
import type { ApiScope } from './api-dto-fields.js';
import { sharedScopeDto } from '../scopes/shared-scope-dto.js';

/**
 * Resolves an API's scopes against the Publisher shared scopes: a `shared: true` entry takes the shared scope's id,
 * display name, description and bindings (WSO2 shows the shared scope, not what the client sent); a local scope may
 * not take a shared scope's name.
 * @throws RestError SHARED_SCOPE_NOT_FOUND (a shared entry naming no shared scope), SCOPE_EXISTS (a local scope
 * named as a shared one)
 */
export async function sharedScopeRefs(db: Queryable, scopes: readonly ApiScope[]): Promise<ApiScope[]> {
  if (scopes.length === 0) return [];
  const found = new Map(
    (await sharedScopesRepository(db).findByNames(scopes.map((s) => s.scope.name))).map((r) => [r.name, r]),
  );
  return scopes.map((s, i) => {
    const row = found.get(s.scope.name);
    if (!s.shared) {
      if (row)
        throw new RestError(
          'SCOPE_EXISTS',
          `scopes[${i}]: ${s.scope.name} is a shared scope; refer to it with shared: true`,
        );
      return s;
    }
    if (!row)
      throw new RestError(
        'SHARED_SCOPE_NOT_FOUND',
        `scopes[${i}].shared: no shared scope named ${s.scope.name}`,
      );
    const shared = sharedScopeDto(row);
    return {
      scope: {
        id: shared.id,
        name: shared.name,
        displayName: shared.displayName,
        description: shared.description,
        bindings: [...shared.bindings],
      },
      shared: true,
    };
  });
}
