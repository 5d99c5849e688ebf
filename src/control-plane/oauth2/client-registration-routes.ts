import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { RestError } from '../../core/index.js';
import { SUPPORTED_GRANTS } from '../../key-manager/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { residentKeyManagerOf } from './resident-key-manager-of.js';

const RegisterBody = Type.Object(
  {
    callbackUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    clientName: Type.String({ minLength: 1, maxLength: 100 }),
    owner: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    grantType: Type.Optional(Type.String({ maxLength: 500 })),
    saasApp: Type.Optional(Type.Boolean()),
    tokenType: Type.Optional(Type.String({ maxLength: 20 })),
  },
  { additionalProperties: true },
);
type RegisterBody = Type.Static<typeof RegisterBody>;

/**
 * WSO2's client registration for REST API clients: `POST /client-registration/v0.17/register` with Basic auth of a
 * user (wso2-compat.md §5.1). Every call registers a new client (the secret is stored hashed, so an existing one
 * cannot be returned again). Faults: UNAUTHENTICATED, VALIDATION_FAILED, FORBIDDEN (owner is someone else).
 */
export function clientRegistrationRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.post<{ Body: RegisterBody }>(
    '/client-registration/v0.17/register',
    { config: { scopes: [] }, schema: { body: RegisterBody } },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      const owner = body.owner ?? caller.username;
      if (owner !== caller.username && !caller.roles.includes('admin')) {
        throw new RestError('FORBIDDEN', 'Only an admin may register a client for another user');
      }
      const requested = (body.grantType ?? 'client_credentials password refresh_token')
        .split(' ')
        .filter((g) => g.length > 0);
      const unknown = requested.filter((g) => !(SUPPORTED_GRANTS as readonly string[]).includes(g));
      if (requested.length === 0 || unknown.length > 0) {
        throw new RestError(
          'VALIDATION_FAILED',
          `grantType must list grants among: ${SUPPORTED_GRANTS.join(' ')}`,
        );
      }
      const { client, clientSecret } = await residentKeyManagerOf(ctx).createClient({
        name: body.clientName,
        owner,
        grantTypes: requested,
        callbackUrl: body.callbackUrl ?? '',
      });
      request.log.info({ clientId: client.clientId, owner }, 'REST client registered');
      return reply.status(200).send({
        clientId: client.clientId,
        clientName: client.name,
        callBackURL: client.callbackUrl || null,
        clientSecret,
        isSaasApplication: body.saasApp ?? true,
        appOwner: owner,
        jsonString: JSON.stringify({
          grant_types: requested.join(' '),
          redirect_uris: client.callbackUrl || null,
          client_name: client.name,
        }),
        jsonAppAttribute: '{}',
        tokenType: 'JWT',
      });
    },
  );
}
