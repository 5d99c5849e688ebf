import { apisRepository, type ApiRow, type Queryable } from '../../store/index.js';

interface DefinitionScopes {
  scopes?: { scope?: { name?: unknown }; shared?: unknown }[];
  operations?: { target?: unknown; verb?: unknown; scopes?: unknown }[];
}

/** One API that uses a shared scope, as WSO2's `SharedScopeUsage.usages` lists it. */
export interface SharedScopeUser {
  name: string;
  context: string;
  version: string;
  provider: string;
  type: 'API';
  usedResourceList: { target: string; verb: string }[];
}

/**
 * The APIs (working copies) that attach the shared scope `name` (`scopes[]` with `shared: true`), with the
 * resources bound to it. Decided on the parsed definition; the text match only narrows the rows read.
 */
export async function sharedScopeUsers(db: Queryable, name: string): Promise<SharedScopeUser[]> {
  const needle = JSON.stringify(name);
  const rows = (await apisRepository(db).list()).filter((r) => r.definition.includes(needle));
  return rows.flatMap((row) => {
    const used = usage(row, name);
    return used ? [used] : [];
  });
}

function usage(row: ApiRow, name: string): SharedScopeUser | null {
  let def: DefinitionScopes;
  try {
    def = JSON.parse(row.definition) as DefinitionScopes;
  } catch {
    return null;
  }
  if (!(def.scopes ?? []).some((s) => s.scope?.name === name && s.shared === true)) return null;
  const usedResourceList = (def.operations ?? [])
    .filter((o) => Array.isArray(o.scopes) && o.scopes.includes(name))
    .map((o) => ({ target: String(o.target), verb: String(o.verb) }));
  return {
    name: row.name,
    context: row.context,
    version: row.version,
    provider: row.provider,
    type: 'API',
    usedResourceList,
  };
}
