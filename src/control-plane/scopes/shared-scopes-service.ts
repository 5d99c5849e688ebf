import { newUuid, RestError } from '../../core/index.js';
import {
  apisRepository,
  isUniqueViolation,
  sharedScopesRepository,
  type Queryable,
  type SharedScopeRow,
} from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { isRoleName } from '../users/roles.js';
import { sharedScopeDto, type SharedScopeDto } from './shared-scope-dto.js';
import { sharedScopeUsers, type SharedScopeUser } from './shared-scope-usage.js';

/** What an API scope name may be (the Publisher DTO's rule): the shared scope's name follows it too. */
const SCOPE_NAME = /^[A-Za-z0-9:_.-]{1,100}$/;
const MAX_BINDINGS = 100;

/** WSO2 `SharedScopeUsage`. */
export interface SharedScopeUsage {
  id: string;
  name: string;
  usedApiList: Omit<SharedScopeUser, 'type'>[];
  usages: SharedScopeUser[];
}

/**
 * Publisher shared scopes (WSO2 `/scopes`): scopes defined once, attached to many APIs (`scopes[].shared: true`),
 * granted by their bindings (roles) at the token endpoint.
 */
export function sharedScopesService(ctx: ControlPlaneContext) {
  const repo = () => sharedScopesRepository(ctx.store);

  async function withUsage(row: SharedScopeRow): Promise<SharedScopeDto> {
    return { ...sharedScopeDto(row), usageCount: (await sharedScopeUsers(ctx.store, row.name)).length };
  }

  async function findOr404(db: Queryable, id: string): Promise<SharedScopeRow> {
    const row = await sharedScopesRepository(db).findById(id);
    if (!row) throw new RestError('SCOPE_NOT_FOUND', `Shared scope ${id} not found`);
    return row;
  }

  return {
    async list(): Promise<SharedScopeDto[]> {
      return Promise.all((await repo().list()).map(withUsage));
    },

    get: async (id: string) => withUsage(await findOr404(ctx.store, id)),

    /** @throws RestError INVALID_SCOPE, SCOPE_EXISTS (a shared scope or an API's local scope has the name) */
    async create(body: unknown): Promise<SharedScopeDto> {
      const input = parseScope(body);
      const now = ctx.clock.now();
      const row: SharedScopeRow = {
        id: newUuid(),
        name: input.name,
        display_name: input.displayName,
        description: input.description,
        bindings: JSON.stringify(input.bindings),
        created_at: now,
        updated_at: now,
      };
      try {
        await ctx.store.transaction(async (trx) => {
          if (await localScopeExists(trx, input.name))
            throw new RestError('SCOPE_EXISTS', `An API already defines a scope named ${input.name}`);
          await sharedScopesRepository(trx).insert(row);
        });
      } catch (err) {
        if (isUniqueViolation(err))
          throw new RestError('SCOPE_EXISTS', `A shared scope named ${input.name} already exists`);
        throw err;
      }
      return { ...sharedScopeDto(row), usageCount: 0 };
    },

    /** Display name, description and bindings change; the name does not. @throws RestError SCOPE_NOT_FOUND, INVALID_SCOPE */
    async update(id: string, body: unknown): Promise<SharedScopeDto> {
      const input = parseScope(body);
      await ctx.store.transaction(async (trx) => {
        const row = await findOr404(trx, id);
        if (row.name !== input.name)
          throw new RestError('INVALID_SCOPE', 'name: the name of a shared scope cannot be changed');
        await sharedScopesRepository(trx).update(id, {
          display_name: input.displayName,
          description: input.description,
          bindings: JSON.stringify(input.bindings),
          updated_at: Math.max(ctx.clock.now(), row.updated_at),
        });
      });
      return this.get(id);
    },

    /** @throws RestError SCOPE_NOT_FOUND, SCOPE_IN_USE (APIs still attach it) */
    async delete(id: string): Promise<void> {
      await ctx.store.transaction(async (trx) => {
        const row = await findOr404(trx, id);
        const users = await sharedScopeUsers(trx, row.name);
        if (users.length > 0)
          throw new RestError(
            'SCOPE_IN_USE',
            `Shared scope ${row.name} is used by ${users.length} API(s); remove it from them first`,
          );
        await sharedScopesRepository(trx).delete(id);
      });
    },

    /** True when a scope of that name exists: shared, or local to an API (WSO2 checks the key manager's scopes). */
    async exists(name: string): Promise<boolean> {
      return (await repo().findByName(name)) !== undefined || (await localScopeExists(ctx.store, name));
    },

    async usage(id: string): Promise<SharedScopeUsage> {
      const row = await findOr404(ctx.store, id);
      const usages = await sharedScopeUsers(ctx.store, row.name);
      return {
        id: row.id,
        name: row.name,
        usedApiList: usages.map(({ type: _t, ...api }) => api),
        usages,
      };
    },
  };
}

/** An API working copy declares a local (not shared) scope named `name`. */
async function localScopeExists(db: Queryable, name: string): Promise<boolean> {
  for (const definition of await apisRepository(db).definitionsContaining(JSON.stringify(name))) {
    const def = JSON.parse(definition) as { scopes?: { scope?: { name?: unknown }; shared?: unknown }[] };
    if ((def.scopes ?? []).some((s) => s.scope?.name === name && s.shared !== true)) return true;
  }
  return false;
}

function parseScope(body: unknown) {
  const b = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  if (typeof b.name !== 'string' || !SCOPE_NAME.test(b.name))
    throw new RestError('INVALID_SCOPE', 'name is required: 1-100 letters, digits, : _ . -');
  const bindings = b.bindings ?? [];
  if (!Array.isArray(bindings) || bindings.length > MAX_BINDINGS || !bindings.every(isRoleName))
    throw new RestError('INVALID_SCOPE', `bindings must be at most ${MAX_BINDINGS} role names`);
  const text = (v: unknown, dflt: string) => (typeof v === 'string' && v.length > 0 ? v : dflt);
  return {
    name: b.name,
    displayName: text(b.displayName, b.name),
    description: text(b.description, ''),
    bindings: [...new Set(bindings)],
  };
}
