import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { decodeScopeNameParam } from './scope-name-param.js';
import { RoleAliasListBody, SystemScopeListBody } from './scope-schemas.js';
import { systemScopesOf } from './system-scopes.js';

const BASE = '/api/am/admin/v4/system-scopes';
// Replaced by WSO2's per-operation scopes (admin-api.json: apim:admin or apim:scope_manage) at registration.
const MANAGE = ['apim:admin', 'apim:scope_manage'];
const UserQuery = {
  type: 'object',
  properties: { username: { type: 'string', maxLength: 255 } },
  additionalProperties: false,
} as const;

/**
 * Admin v4 system scopes: `GET/PUT /system-scopes` (scope → roles), `GET /system-scopes/{scopeName}` (does a user
 * hold the scope; the name base64url-encoded, as WSO2 takes it), `GET/PUT /system-scopes/role-aliases`.
 * Faults: 400 INVALID_SCOPE, 404 SYSTEM_SCOPE_NOT_FOUND / USER_NOT_FOUND.
 */
export function systemScopeRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const scopes = systemScopesOf(ctx);

  app.get(BASE, { config: { scopes: MANAGE } }, async () => scopeList(await scopes.list()));

  app.put(BASE, { config: { scopes: MANAGE }, schema: { body: SystemScopeListBody } }, async (req) =>
    scopeList(await scopes.replaceScopes(req.body)),
  );

  app.get(`${BASE}/role-aliases`, { config: { scopes: MANAGE } }, async () =>
    aliasList(await scopes.aliases()),
  );

  app.put(
    `${BASE}/role-aliases`,
    { config: { scopes: MANAGE }, schema: { body: RoleAliasListBody } },
    async (req) => aliasList(await scopes.replaceAliases(req.body)),
  );

  app.get<{ Params: { scopeName: string }; Querystring: { username?: string } }>(
    `${BASE}/:scopeName`,
    { config: { scopes: MANAGE }, schema: { querystring: UserQuery } },
    async (req) => {
      const name = decodeScopeNameParam(req.params.scopeName, /^[\x21-\x7E]{1,255}$/);
      const username = req.query.username ?? callerOf(req).username;
      const user = await ctx.users.get(username);
      if (!user) throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
      if (name === null || !(await scopes.allows(name, user.roles)))
        throw new RestError('SYSTEM_SCOPE_NOT_FOUND', `User ${username} does not hold that scope`);
      return { name };
    },
  );
}

const scopeList = (
  list: readonly { tag: string; name: string; description: string; roles: readonly string[] }[],
) => ({
  count: list.length,
  list: list.map((s) => ({ tag: s.tag, name: s.name, description: s.description, roles: [...s.roles] })),
});

const aliasList = (list: readonly { role: string; aliases: readonly string[] }[]) => ({
  count: list.length,
  list: list.map((a) => ({ role: a.role, aliases: [...a.aliases] })),
});
