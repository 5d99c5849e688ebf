import { dbOf, type Queryable } from './open-store.js';

/** A name with its role list, as the system-scope and role-alias tables keep them. */
export interface RoleListRow {
  readonly key: string;
  readonly roles: readonly string[];
}

/**
 * The Admin system-scope role table (scope → roles) and role aliases (role → user-store roles). Each `replace*`
 * writes the whole table, as WSO2's PUT does.
 */
export interface SystemScopesRepository {
  scopeRoles(): Promise<RoleListRow[]>;
  replaceScopeRoles(rows: readonly RoleListRow[], now: number): Promise<void>;
  roleAliases(): Promise<RoleListRow[]>;
  replaceRoleAliases(rows: readonly RoleListRow[], now: number): Promise<void>;
}

/** The system-scopes repository; `replace*` should run inside a transaction (the caller's). */
export function systemScopesRepository(q: Queryable): SystemScopesRepository {
  const db = dbOf(q);
  return {
    async scopeRoles() {
      const rows = await db.selectFrom('system_scope_roles').selectAll().orderBy('name').execute();
      return rows.map((r) => ({ key: r.name, roles: parseList(r.roles) }));
    },
    async replaceScopeRoles(rows, now) {
      await db.deleteFrom('system_scope_roles').execute();
      if (rows.length === 0) return;
      await db
        .insertInto('system_scope_roles')
        .values(rows.map((r) => ({ name: r.key, roles: JSON.stringify(r.roles), updated_at: now })))
        .execute();
    },
    async roleAliases() {
      const rows = await db.selectFrom('role_aliases').selectAll().orderBy('role').execute();
      return rows.map((r) => ({ key: r.role, roles: parseList(r.aliases) }));
    },
    async replaceRoleAliases(rows, now) {
      await db.deleteFrom('role_aliases').execute();
      if (rows.length === 0) return;
      await db
        .insertInto('role_aliases')
        .values(rows.map((r) => ({ role: r.key, aliases: JSON.stringify(r.roles), updated_at: now })))
        .execute();
    },
  };
}

function parseList(text: string): string[] {
  const v: unknown = JSON.parse(text);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
