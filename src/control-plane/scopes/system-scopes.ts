import { RestError, type Clock } from '../../core/index.js';
import { systemScopesRepository, type RoleListRow, type Store } from '../../store/index.js';
import { effectiveRoles, isRoleName } from '../users/roles.js';
import { defaultSystemScopes, isSystemScope, type SystemScope } from './system-scope-defaults.js';

/** One role alias as Admin `/system-scopes/role-aliases` shows it. */
export interface RoleAlias {
  readonly role: string;
  readonly aliases: readonly string[];
}

/**
 * The system-scope role table and role aliases (WSO2 tenant-conf `RESTAPIScopes` and `RoleMappings`), persisted
 * and cached. Decides which `apim:*` scopes a user's roles hold, for REST authorization and the token endpoint.
 */
export interface SystemScopes {
  list(): Promise<SystemScope[]>;
  aliases(): Promise<RoleAlias[]>;
  /** The system scopes `roles` hold (through the table and the aliases). */
  scopesForRoles(roles: readonly string[]): Promise<string[]>;
  allows(scope: string, roles: readonly string[]): Promise<boolean>;
  /**
   * Sets the roles of the scopes given (others keep theirs). @throws RestError INVALID_SCOPE (unknown scope,
   * bad role name, a scope twice, `apim:admin` without `admin`)
   */
  replaceScopes(body: unknown): Promise<SystemScope[]>;
  /** Replaces every role alias. @throws RestError INVALID_SCOPE */
  replaceAliases(body: unknown): Promise<RoleAlias[]>;
}

/** How long a control plane trusts its cached copy: another process's PUT takes effect within this. */
const CACHE_MS = 2_000;
const MAX_ENTRIES = 500;
const MAX_ROLES = 100;

interface Loaded {
  readonly at: number;
  readonly table: readonly SystemScope[];
  readonly byName: ReadonlyMap<string, ReadonlySet<string>>;
  readonly aliases: readonly RoleAlias[];
}

/** @example const scopes = createSystemScopes(ctx.store, ctx.clock); await scopes.allows('apim:api_create', ['creator']); */
export function createSystemScopes(store: Store, clock: Clock): SystemScopes {
  let loaded: Loaded | null = null;

  async function load(): Promise<Loaded> {
    if (loaded && clock.now() - loaded.at < CACHE_MS) return loaded;
    const repo = systemScopesRepository(store);
    const overrides = new Map((await repo.scopeRoles()).map((r) => [r.key, r.roles]));
    const table = defaultSystemScopes().map((s) => ({ ...s, roles: overrides.get(s.name) ?? s.roles }));
    const byName = new Map(table.map((s) => [s.name, new Set(s.roles.map(lower))]));
    const aliases = (await repo.roleAliases()).map((r) => ({ role: r.key, aliases: r.roles }));
    loaded = { at: clock.now(), table, byName, aliases };
    return loaded;
  }

  function held(l: Loaded, roles: readonly string[]): Set<string> {
    const names = new Set([...effectiveRoles(roles)].map(lower));
    for (const a of l.aliases) if (a.aliases.some((x) => names.has(lower(x)))) names.add(lower(a.role));
    return names;
  }

  const holds = (l: Loaded, names: Set<string>, scope: string) =>
    [...(l.byName.get(scope) ?? [])].some((r) => names.has(r));

  return {
    list: async () => [...(await load()).table],
    aliases: async () => [...(await load()).aliases],
    async scopesForRoles(roles) {
      const l = await load();
      const names = held(l, roles);
      return l.table.filter((s) => holds(l, names, s.name)).map((s) => s.name);
    },
    async allows(scope, roles) {
      const l = await load();
      return holds(l, held(l, roles), scope);
    },
    async replaceScopes(body) {
      const given = roleLists(body, 'name', 'roles');
      for (const g of given) {
        if (!isSystemScope(g.key)) throw invalid(`${g.key} is not a system scope`);
        if (g.key === 'apim:admin' && !g.roles.includes('admin'))
          throw invalid('apim:admin must keep the role admin (the super admin would be locked out)');
      }
      const now = clock.now();
      await store.transaction(async (trx) => {
        const repo = systemScopesRepository(trx);
        const current = new Map((await repo.scopeRoles()).map((r) => [r.key, r.roles]));
        for (const g of given) current.set(g.key, g.roles);
        await repo.replaceScopeRoles(
          [...current].map(([key, roles]) => ({ key, roles })),
          now,
        );
      });
      loaded = null;
      return [...(await load()).table];
    },
    async replaceAliases(body) {
      const given = roleLists(body, 'role', 'aliases');
      await store.transaction((trx) => systemScopesRepository(trx).replaceRoleAliases(given, clock.now()));
      loaded = null;
      return [...(await load()).aliases];
    },
  };
}

/** Parses `{ list: [{ <keyField>, <listField>: [...] }] }` (WSO2 `ScopeList` / `RoleAliasList`; `count` ignored). */
function roleLists(body: unknown, keyField: string, listField: string): RoleListRow[] {
  const list = isObject(body) ? body.list : undefined;
  if (!Array.isArray(list)) throw invalid('list is required: an array');
  if (list.length > MAX_ENTRIES) throw invalid(`list has more than ${MAX_ENTRIES} entries`);
  const seen = new Set<string>();
  return list.map((item: unknown, i) => {
    const key = isObject(item) ? item[keyField] : undefined;
    const roles = isObject(item) ? item[listField] : undefined;
    if (typeof key !== 'string' || key.length === 0 || key.length > 255 || /\s/.test(key))
      throw invalid(`list[${i}].${keyField} is required: a name without spaces`);
    if (seen.has(key)) throw invalid(`list[${i}].${keyField} duplicates ${key}`);
    seen.add(key);
    if (keyField === 'role' && !isRoleName(key)) throw invalid(`list[${i}].role is not a valid role name`);
    if (!Array.isArray(roles) || roles.length > MAX_ROLES)
      throw invalid(`list[${i}].${listField} is required: an array of at most ${MAX_ROLES} role names`);
    for (const r of roles)
      if (!isRoleName(r)) throw invalid(`list[${i}].${listField} has a value that is not a role name`);
    return { key, roles: [...new Set(roles as string[])] };
  });
}

const invalid = (description: string) => new RestError('INVALID_SCOPE', description);
const lower = (s: string) => s.toLowerCase();
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// One per store: the auth hook, the token endpoint and the Admin routes of a control plane share the cache.
const instances = new WeakMap<Store, SystemScopes>();

/** The shared {@link SystemScopes} of a store (created at first use). */
export function systemScopesOf(ctx: { store: Store; clock: Clock }): SystemScopes {
  let s = instances.get(ctx.store);
  if (!s) {
    s = createSystemScopes(ctx.store, ctx.clock);
    instances.set(ctx.store, s);
  }
  return s;
}
