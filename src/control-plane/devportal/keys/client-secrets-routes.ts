import type { FastifyInstance } from 'fastify';
import { RestError } from '../../../core/index.js';
import { auditActorOf, type AuditActor, type AuditEventInput } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { consumerSecretDto } from './consumer-secret-dto.js';
import { keyManagerOfMapping } from './external-key-managers.js';
import { ownedMapping } from './key-mapping-service.js';
import { GenerateSecretBody, KeyParams, RevokeSecretBody } from './key-schemas.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };
type KeyId = { applicationId: string; keyMappingId: string };

/**
 * Multiple client secrets of an application key (WSO2 4.7): `generate-secret` (201, the secret shown once),
 * `secrets` (masked list) and `revoke-secret` (204), for keys of the Resident Key Manager.
 * Faults: APPLICATION_NOT_FOUND / KEY_MAPPING_NOT_FOUND (404, also for another user's), CLIENT_SECRET_NOT_FOUND,
 * CLIENT_SECRET_LIMIT_REACHED (`[oauth.client_secrets] secret_count` active secrets), VALIDATION_FAILED,
 * UNSUPPORTED_OPERATION (multiple secrets switched off, or an external key manager's key).
 */
export function clientSecretsRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications/:applicationId/oauth-keys/:keyMappingId`;
  const km = () => residentKeyManagerOf(ctx);
  const settings = ctx.config.oauth.client_secrets;

  /** The caller's resident key (clientId) behind the path. */
  async function residentKey(params: KeyId, username: string): Promise<string> {
    const { m } = await ownedMapping(ctx, params, username);
    if (await keyManagerOfMapping(ctx.store, m)) {
      throw new RestError(
        'UNSUPPORTED_OPERATION',
        'Client secrets of this key are managed by its key manager',
      );
    }
    return m.consumer_key;
  }

  app.post<{ Params: KeyId; Body: GenerateSecretBody }>(
    `${base}/generate-secret`,
    { config: SCOPES, schema: { params: KeyParams, body: GenerateSecretBody } },
    async (request, reply) => {
      const clientId = await residentKey(request.params, callerOf(request).username);
      if (!settings.enable_multiple_secrets) throw multipleSecretsOff();
      const props = request.body.additionalProperties ?? {};
      const expiresIn = props.expiresIn === undefined ? undefined : Number(props.expiresIn);
      if (expiresIn !== undefined && settings.max_expires_in > 0 && expiresIn > settings.max_expires_in) {
        throw new RestError(
          'VALIDATION_FAILED',
          `expiresIn must be at most ${settings.max_expires_in} seconds`,
        );
      }
      const opts = {
        description: props.description ?? '',
        ...(expiresIn !== undefined ? { expiresInSeconds: expiresIn } : {}),
      };
      // Counting the active secrets and adding one are a single transaction.
      const r = await ctx.store.transaction(async (trx) => {
        const made = await km().generateSecret(clientId, opts, trx);
        if (made?.ok) {
          const details = { expiresIn: expiresIn ?? null };
          const event = secretEvent(
            'client-secret.generated',
            auditActorOf(request),
            clientId,
            made.info.secretId,
          );
          await ctx.audit.record({ ...event, details }, trx);
        }
        return made;
      });
      if (!r) throw clientGone();
      if (!r.ok && r.reason === 'disabled') throw multipleSecretsOff();
      if (!r.ok) {
        throw new RestError(
          'CLIENT_SECRET_LIMIT_REACHED',
          `This key already has ${settings.secret_count} active client secrets; revoke one first`,
        );
      }
      const location = `${request.url.replace(/\/generate-secret(\?.*)?$/, '')}/secrets`;
      return reply.status(201).header('location', location).send(consumerSecretDto(r.info, r.secret));
    },
  );

  app.get<{ Params: KeyId }>(
    `${base}/secrets`,
    { config: SCOPES, schema: { params: KeyParams } },
    async (request) => {
      const clientId = await residentKey(request.params, callerOf(request).username);
      const list = (await km().listSecrets(clientId)).map((s) => consumerSecretDto(s));
      return { count: list.length, list };
    },
  );

  app.post<{ Params: KeyId; Body: RevokeSecretBody }>(
    `${base}/revoke-secret`,
    { config: SCOPES, schema: { params: KeyParams, body: RevokeSecretBody } },
    async (request, reply) => {
      const clientId = await residentKey(request.params, callerOf(request).username);
      const { secretId } = request.body;
      const revoked = await ctx.store.transaction(async (trx) => {
        const done = await km().revokeSecret(clientId, secretId, trx);
        if (done)
          await ctx.audit.record(
            secretEvent('client-secret.revoked', auditActorOf(request), clientId, secretId),
            trx,
          );
        return done;
      });
      if (!revoked) {
        throw new RestError('CLIENT_SECRET_NOT_FOUND', `Client secret ${request.body.secretId} not found`);
      }
      return reply.status(204).send();
    },
  );
}

/** A client-secret event: the secret's id (never its value) is the target, its client the target name. */
function secretEvent(
  action: 'client-secret.generated' | 'client-secret.revoked',
  actor: AuditActor,
  clientId: string,
  secretId: string,
): AuditEventInput {
  return { action, actor, target: { type: 'client-secret', id: secretId, name: clientId } };
}

function multipleSecretsOff(): RestError {
  return new RestError(
    'UNSUPPORTED_OPERATION',
    'Multiple client secrets are switched off ([oauth.client_secrets] enable_multiple_secrets)',
  );
}

function clientGone(): RestError {
  return new RestError('KEY_MAPPING_NOT_FOUND', 'The OAuth client of this key mapping is gone');
}
