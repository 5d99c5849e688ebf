import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { auditActorOf } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { keyManagerOfMapping } from './external-key-managers.js';
import { externalToken, regenerateExternalSecret } from './external-keys.js';
import { ownedApplication } from '../applications/owned-application.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import {
  applicationToken,
  keyMappingEvent,
  ownedMapping,
  type KeyPathParams,
} from './key-mapping-service.js';
import { GenerateTokenBody, KEY_PATHS } from './key-schemas.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };

/**
 * `regenerate-secret` (the old secrets stop working at once and the client's refresh tokens are revoked; with a
 * `gracePeriod` in seconds they keep working until `graceExpiresAt`, state ROTATING) and
 * `generate-token` (client_credentials token with the given validity and scopes, optionally revoking a previous
 * token of the same client), under `oauth-keys/{keyMappingId}` and WSO2's deprecated `keys/{keyType}`. Faults: APPLICATION_NOT_FOUND, KEY_MAPPING_NOT_FOUND, INVALID_CONSUMER_SECRET,
 * UNSUPPORTED_OPERATION (TOKEN_EXCHANGE, no client_credentials grant), VALIDATION_FAILED. `clean-up` answers
 * 200 for the caller's application (nothing is ever left to clean); KEY_MAPPING_NOT_FOUND for an unknown mapping.
 */
export function keyTokenRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications/:applicationId`;
  const km = () => residentKeyManagerOf(ctx);
  const maxGrace = ctx.config.oauth.client_secrets.max_grace_period;

  for (const key of KEY_PATHS) {
    app.post<{ Params: KeyPathParams }>(
      `${base}/${key.path}/regenerate-secret`,
      { config: { ...SCOPES, body: 'none' }, schema: { params: key.params } },
      async (request) => {
        const { m } = await ownedMapping(ctx, request.params, callerOf(request).username);
        const grace = gracePeriodOf(request.body, maxGrace);
        const external = await keyManagerOfMapping(ctx.store, m);
        if (external) {
          if (grace > 0) {
            throw new RestError(
              'UNSUPPORTED_OPERATION',
              'This key manager cannot keep an old secret for a grace period',
            );
          }
          const consumerSecret = await regenerateExternalSecret(external, m.consumer_key);
          // Nothing of Portico's changed (the provider holds the secret): the event is recorded on its own.
          await ctx.audit.record(keyMappingEvent('client-secret.regenerated', auditActorOf(request), m));
          return { consumerKey: m.consumer_key, consumerSecret };
        }
        const rotated = await ctx.store.transaction(async (trx) => {
          const r = await km().rotateSecret(m.consumer_key, grace, trx);
          if (r) {
            const event = keyMappingEvent('client-secret.regenerated', auditActorOf(request), m, {
              gracePeriod: grace,
            });
            await ctx.audit.record(event, trx);
          }
          return r;
        });
        if (!rotated)
          throw new RestError('KEY_MAPPING_NOT_FOUND', 'The OAuth client of this key mapping is gone');
        return {
          consumerKey: m.consumer_key,
          consumerSecret: rotated.secret,
          ...(rotated.graceExpiresAt !== null
            ? { graceExpiresAt: Math.floor(rotated.graceExpiresAt / 1000) }
            : {}),
        };
      },
    );

    app.post<{ Params: KeyPathParams; Body: GenerateTokenBody }>(
      `${base}/${key.path}/generate-token`,
      { config: SCOPES, schema: { params: key.params, body: GenerateTokenBody } },
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
        if (body.revokeToken) {
          const r = await km().revoke(client, body.revokeToken);
          if (r.revoked) {
            await ctx.audit.record({
              action: 'token.revoked',
              actor: auditActorOf(request),
              target:
                r.revoked === 'access_token'
                  ? { type: 'access-token', id: r.jti }
                  : { type: 'refresh-token', id: client.clientId },
              details: { kind: r.revoked, via: 'generate-token' },
            });
          }
        }
        return applicationToken(km(), m.consumer_key, body.scopes ?? [], body.validityPeriod);
      },
    );

    // Portico generates keys in one transaction, so a failed generation leaves no half-made registration to clean
    // up (WSO2 deletes pending AM_APPLICATION_REGISTRATION rows here); only the application is checked, and under
    // `oauth-keys/{keyMappingId}` that the key mapping is the application's (an unknown one is 404, not 200).
    app.post<{ Params: KeyPathParams }>(
      `${base}/${key.path}/clean-up`,
      { config: { ...SCOPES, body: 'none' }, schema: { params: key.params } },
      async (request, reply) => {
        const username = callerOf(request).username;
        const actor = auditActorOf(request);
        if ('keyMappingId' in request.params) {
          const { m } = await ownedMapping(ctx, request.params, username);
          await ctx.audit.record(keyMappingEvent('oauth-keys.cleaned-up', actor, m));
        } else {
          const appRow = await ownedApplication(ctx.store, request.params.applicationId, username);
          await ctx.audit.record({
            action: 'oauth-keys.cleaned-up',
            actor,
            target: { type: 'application', id: appRow.uuid, name: appRow.name },
            details: { keyType: request.params.keyType },
          });
        }
        return reply.status(200).send();
      },
    );
  }
}

/**
 * The optional `gracePeriod` (seconds) of a regenerate-secret body; 0 when absent. WSO2 documents no body, and
 * any other JSON body is still ignored as before. @throws RestError VALIDATION_FAILED
 */
function gracePeriodOf(body: unknown, max: number): number {
  if (body === null || typeof body !== 'object' || !('gracePeriod' in body)) return 0;
  const g = body.gracePeriod;
  if (typeof g !== 'number' || !Number.isInteger(g) || g < 0 || g > max) {
    throw new RestError('VALIDATION_FAILED', `gracePeriod must be an integer from 0 to ${max} seconds`);
  }
  return g;
}
