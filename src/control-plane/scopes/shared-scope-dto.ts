import type { SharedScopeRow } from '../../store/index.js';

/** Publisher `Scope` (shared): what `/scopes` answers. */
export interface SharedScopeDto {
  id: string;
  name: string;
  displayName: string;
  description: string;
  bindings: string[];
  usageCount?: number;
}

/** The DTO of a stored shared scope (`usageCount` added by the list and get routes). */
export function sharedScopeDto(row: SharedScopeRow): SharedScopeDto {
  const bindings: unknown = JSON.parse(row.bindings);
  return {
    id: row.id,
    name: row.name,
    displayName: row.display_name,
    description: row.description,
    bindings: Array.isArray(bindings) ? bindings.filter((b): b is string => typeof b === 'string') : [],
  };
}
