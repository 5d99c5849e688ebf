import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { RestError } from '../../../core/index.js';
import { apiKeysRepository } from '../../../store/index.js';
import { auditActorOf } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { parseGenerateRequest, parseKeyType } from './api-key-request.js';
import { recordRevocation } from './api-key-revocation.js';
import { issueApiKey, toApiKeyInfo, toApiKeyInfoV47, verifyKeyForRevocation } from './api-key-service.js';
import { keyToRevoke, parseRenewRequest, regenerateApiKey } from './api-key-rotation.js';
import type { ApiKeyRow } from '../../../store/index.js';
import { ownedApplication } from '../applications/owned-application.js';
import { leakFields, leaksByKey } from './api-key-leak-info.js';

const BASE = `${DEVPORTAL_BASE}/applications/:applicationId/api-keys`;
const SCOPES = ['apim:api_key', 'apim:subscribe', 'apim:app_manage'];

/** WSO2 `APIKeyRevokeRequest`: `apikey` or (4.7) `keyUUID`. */
const RevokeBody = Type.Object(
  {
    apikey: Type.Optional(Type.String({ minLength: 1, maxLength: 65_536 })),
    keyUUID: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: true },
);

/**
 * WSO2 `APIKey` (shown once): `validityPeriod` as 4.7 names it, `validityTime` as 4.4 did (both echo the request,
 * as WSO2 does; a regenerated key's is its predecessor's), and `keyUUID`.
 */
function apiKeyResponse(apikey: string, row: ApiKeyRow, requested?: number) {
  const validity =
    requested ?? (row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000));
  return { keyName: row.name, apikey, validityPeriod: validity, validityTime: validity, keyUUID: row.jti };
}

type AppParams = { Params: { applicationId: string } };
type TypeParams = { Params: { applicationId: string; keyType: string } };
type KeyParams = { Params: { applicationId: string; keyType: string; keyId: string } };

/**
 * Developer Portal v3 API keys of the caller's own applications (wso2-compat.md §2, §3.10, §6):
 * `POST /{keyType}/generate` (the key is returned once and never stored; JWT or opaque per `api_key_format`),
 * `POST /{keyType}/revoke {apikey} | {keyUUID}`, WSO2 4.7's `POST /{keyType}/regenerate {keyUUID, gracePeriod?}`
 * and `GET /{keyType}` (`APIKeyInfo` list, with `leaked` and `leakReports` from leak reports), and, beyond WSO2,
 * `GET /` (metadata of every issued key, leak fields too) and
 * `DELETE /{keyType}/{keyId}` (revoke without the key).
 * Revocations publish `apikey.revoked` after the commit; the gateway snapshot carries the revoked jtis.
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 400 INVALID_KEY_TYPE / VALIDATION_FAILED / INVALID_RESTRICTION /
 * INVALID_API_KEY, 409 API_KEY_NOT_ACTIVE (regenerate), 403 FORBIDDEN (untrusted key, key of another application), 404 APPLICATION_NOT_FOUND (also for
 * another user's application) / API_KEY_NOT_FOUND.
 */
export function devportalApiKeyRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const db = ctx.store;
  void app.register(async (scoped) => {
    // `generate` takes an optional body: WSO2 clients often send `Content-Type: application/json` with none, which
    // the control plane's JSON parser reads as no body.
    scoped.post<TypeParams>(`${BASE}/:keyType/generate`, { config: { scopes: SCOPES } }, async (req) => {
      const caller = callerOf(req);
      const keyType = parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const request = parseGenerateRequest(req.body);
      const { apikey, row } = await issueApiKey(ctx, application, caller.username, keyType, request, {
        actor: auditActorOf(req),
      });
      return apiKeyResponse(apikey, row, request.validityPeriod);
    });

    const revoke = { config: { scopes: SCOPES }, schema: { body: RevokeBody } };
    scoped.post<TypeParams>(`${BASE}/:keyType/revoke`, revoke, async (req, reply) => {
      const caller = callerOf(req);
      // WSO2 ignores {keyType} on revoke; Portico still insists it is a valid one.
      parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const target = await keyToRevoke(ctx, application, req.body);
      if ('jwt' in target) {
        const { jti, expiresAt } = verifyKeyForRevocation(ctx, target.jwt, application);
        await recordRevocation(ctx, { jti, expiresAt, application, actor: auditActorOf(req) });
      } else {
        const expiresAt = target.expires_at;
        await recordRevocation(ctx, { jti: target.jti, expiresAt, application, actor: auditActorOf(req) });
      }
      return reply.status(200).send();
    });

    scoped.post<TypeParams>(`${BASE}/:keyType/regenerate`, { config: { scopes: SCOPES } }, async (req) => {
      const caller = callerOf(req);
      const keyType = parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const { keyUUID, gracePeriod } = parseRenewRequest(req.body);
      const { apikey, row } = await regenerateApiKey(
        ctx,
        application,
        caller.username,
        keyType,
        keyUUID,
        gracePeriod,
        auditActorOf(req),
      );
      return apiKeyResponse(apikey, row);
    });

    scoped.get<TypeParams>(`${BASE}/:keyType`, { config: { scopes: SCOPES } }, async (req) => {
      const caller = callerOf(req);
      const keyType = parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const rows = await apiKeysRepository(db).listByApplication(application.id);
      const leaks = await leaksByKey(db, application.id);
      const now = ctx.clock.now();
      const list = rows
        .filter((r) => r.key_type === keyType)
        .map((r) => ({ ...toApiKeyInfoV47(r, now), ...leakFields(leaks.get(r.jti)) }));
      return { count: list.length, list };
    });

    scoped.get<AppParams>(BASE, { config: { scopes: SCOPES } }, async (req) => {
      const caller = callerOf(req);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const rows = await apiKeysRepository(db).listByApplication(application.id);
      const leaks = await leaksByKey(db, application.id);
      const now = ctx.clock.now();
      const list = rows.map((r) => ({ ...toApiKeyInfo(r, now), ...leakFields(leaks.get(r.jti)) }));
      return { count: rows.length, list };
    });

    scoped.delete<KeyParams>(
      `${BASE}/:keyType/:keyId`,
      { config: { scopes: SCOPES } },
      async (req, reply) => {
        const caller = callerOf(req);
        const keyType = parseKeyType(req.params.keyType);
        const application = await ownedApplication(db, req.params.applicationId, caller.username);
        const row = await apiKeysRepository(db).findByJti(req.params.keyId);
        if (!row || row.application_id !== application.id || row.key_type !== keyType) {
          throw new RestError('API_KEY_NOT_FOUND', `API key ${req.params.keyId} not found`);
        }
        const actor = auditActorOf(req);
        await recordRevocation(ctx, { jti: row.jti, expiresAt: row.expires_at, application, actor });
        return reply.status(200).send();
      },
    );
  });
}
