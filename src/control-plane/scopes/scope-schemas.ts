import Type from 'typebox';

/**
 * Request schemas of the scope routes: JSON types only (the semantic rules — names, role names, duplicates — are
 * in the services, 400 INVALID_SCOPE). Read-only WSO2 fields (`id`, `usageCount`, `count`) are tolerated.
 */
const Name = Type.String({ maxLength: 255 });
const Roles = Type.Array(Type.String({ maxLength: 255 }), { maxItems: 100 });
const Loose = <P extends Record<string, Parameters<typeof Type.Object>[0][string]>>(p: P) =>
  Type.Object(p, { additionalProperties: true });

/** Publisher `Scope` (POST /scopes, PUT /scopes/{scopeId}). */
export const SharedScopeBody = Loose({
  name: Name,
  displayName: Type.Optional(Type.Union([Type.String({ maxLength: 255 }), Type.Null()])),
  description: Type.Optional(Type.Union([Type.String({ maxLength: 512 }), Type.Null()])),
  bindings: Type.Optional(Type.Union([Roles, Type.Null()])),
});

/** Admin `ScopeList` (PUT /system-scopes). */
export const SystemScopeListBody = Loose({
  list: Type.Array(Loose({ name: Name, roles: Roles }), { maxItems: 500 }),
});

/** Admin `RoleAliasList` (PUT /system-scopes/role-aliases). */
export const RoleAliasListBody = Loose({
  list: Type.Array(Loose({ role: Name, aliases: Roles }), { maxItems: 500 }),
});
