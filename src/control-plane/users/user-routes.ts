import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { RestError } from '../../core/index.js';
import { auditActorOf } from '../audit/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { ROLE_NAME_PATTERN } from './roles.js';
import type { User } from './user-service.js';

// Built-in roles grant REST scopes; other names (`gold-partners`) only count for tier permissions and visibility.
const RoleList = Type.Array(Type.String({ pattern: ROLE_NAME_PATTERN }), {
  maxItems: 50,
  minItems: 1,
  uniqueItems: true,
});
const NewUser = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    email: Type.Optional(Type.String({ maxLength: 254 })),
    roles: RoleList,
  },
  { additionalProperties: false },
);
const SignUp = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 100 }),
    password: Type.String({ minLength: 8, maxLength: 256 }),
    email: Type.Optional(Type.String({ maxLength: 254 })),
  },
  { additionalProperties: false },
);

const view = (u: User) => ({
  username: u.username,
  roles: u.roles,
  email: u.email,
  createdTime: u.createdAt,
});

/** Hooks run after a self sign-up (the application module adds the DefaultApplication). */
export type SignUpHook = (ctx: ControlPlaneContext, username: string) => Promise<void>;

/**
 * User administration (`/api/am/admin/v4/users`, scope apim:admin), the caller's own profile
 * (`/api/am/devportal/v3/me`) and Developer Portal self sign-up (`POST /api/am/devportal/v3/sign-up`,
 * switched by `[apim.devportal] enable_self_signup`).
 */
export function userRoutes(onSignUp: SignUpHook[] = []) {
  return (app: FastifyInstance, ctx: ControlPlaneContext) => {
    const admin = { scopes: ['apim:admin'] };
    app.get('/api/am/admin/v4/users', { config: admin }, async () => {
      const list = (await ctx.users.list()).map(view);
      return { count: list.length, list };
    });
    app.post('/api/am/admin/v4/users', { config: admin, schema: { body: NewUser } }, async (req, reply) => {
      const b = req.body as Type.Static<typeof NewUser>;
      const u = await ctx.users.create(b.username, b.password, b.roles, b.email ?? null, auditActorOf(req));
      return reply.status(201).send(view(u));
    });
    app.put(
      '/api/am/admin/v4/users/:username/roles',
      { config: admin, schema: { body: Type.Object({ roles: RoleList }, { additionalProperties: false }) } },
      async (req) => {
        const { username } = req.params as { username: string };
        await ctx.users.setRoles(username, (req.body as { roles: string[] }).roles, auditActorOf(req));
        const u = await ctx.users.get(username);
        if (!u) throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
        return view(u);
      },
    );
    app.delete('/api/am/admin/v4/users/:username', { config: admin }, async (req, reply) => {
      const { username } = req.params as { username: string };
      if (username === callerOf(req).username)
        throw new RestError('BAD_REQUEST', 'You cannot delete your own account');
      if (!(await ctx.users.remove(username, auditActorOf(req))))
        throw new RestError('USER_NOT_FOUND', `User ${username} not found`);
      return reply.status(200).send();
    });
    app.get('/api/am/devportal/v3/me', { config: { scopes: [] } }, async (req) => {
      const c = callerOf(req);
      return {
        username: c.username,
        roles: c.roles,
        scopes: c.scopes,
      };
    });
    app.post('/api/am/devportal/v3/sign-up', { schema: { body: SignUp } }, async (req, reply) => {
      if (!ctx.config.apim.devportal.enable_self_signup) {
        throw new RestError('FORBIDDEN', 'Self sign-up is disabled on this Developer Portal');
      }
      const b = req.body as Type.Static<typeof SignUp>;
      const u = await ctx.users.create(
        b.username,
        b.password,
        ['subscriber'],
        b.email ?? null,
        auditActorOf(req),
      );
      for (const hook of onSignUp) await hook(ctx, u.username);
      return reply.status(201).send(view(u));
    });
  };
}
