import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { keyManagerOfMapping } from './external-key-managers.js';
import { externalToken, regenerateExternalSecret } from './external-keys.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { applicationToken, ownedMapping } from './key-mapping-service.js';
import { GenerateTokenBody, KeyParams } from './key-schemas.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };
type KeyId = { applicationId: string; keyMappingId: string };

/**
 * `regenerate-secret` (the old secret stops working at once; the client's refresh tokens are revoked) and
 * `generate-token` (client_credentials token with the given validity and scopes, optionally revoking a previous
 * token of the same client). Faults: APPLICATION_NOT_FOUND, KEY_MAPPING_NOT_FOUND, INVALID_CONSUMER_SECRET,
 * UNSUPPORTED_OPERATION (TOKEN_EXCHANGE, no client_credentials grant), VALIDATION_FAILED.
 */
export function keyTokenRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications/:applicationId/oauth-keys/:keyMappingId`;
  const km = () => residentKeyManagerOf(ctx);

  app.post<{ Params: KeyId }>(
    `${base}/regenerate-secret`,
    { config: { ...SCOPES, body: 'none' }, schema: { params: KeyParams } },
    async (request) => {
      const { m } = await ownedMapping(ctx, request.params, callerOf(request).username);
      const external = await keyManagerOfMapping(ctx.store, m);
      if (external) {
        const consumerSecret = await regenerateExternalSecret(external, m.consumer_key);
        return { consumerKey: m.consumer_key, consumerSecret };
      }
      const secret = await km().regenerateSecret(m.consumer_key);
      if (!secret)
        throw new RestError('KEY_MAPPING_NOT_FOUND', 'The OAuth client of this key mapping is gone');
      return { consumerKey: m.consumer_key, consumerSecret: secret };
    },
  );

  app.post<{ Params: KeyId; Body: GenerateTokenBody }>(
    `${base}/generate-token`,
    { config: SCOPES, schema: { params: KeyParams, body: GenerateTokenBody } },
    async (request) => {
      const { m } = await ownedMapping(ctx, request.params, callerOf(request).username);
      const body = request.body;
      if (body.grantType === 'TOKEN_EXCHANGE') {
        throw new RestError('UNSUPPORTED_OPERATION', 'TOKEN_EXCHANGE needs an external key manager');
      }
      const external = await keyManagerOfMapping(ctx.store, m);
      if (external) {
        const { consumerSecret, scopes, validityPeriod, revokeToken } = body;
        return externalToken(
          external,
          m.consumer_key,
          consumerSecret,
          scopes ?? [],
          validityPeriod,
          revokeToken,
        );
      }
      const client = await km().authenticateClient(m.consumer_key, body.consumerSecret);
      if (!client)
        throw new RestError('INVALID_CONSUMER_SECRET', 'The consumer secret is not valid for these keys');
      if (body.revokeToken) await km().revoke(client, body.revokeToken);
      return applicationToken(km(), m.consumer_key, body.scopes ?? [], body.validityPeriod);
    },
  );
}
