import { auditActorOf } from '../../audit/index.js';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { RestError, type KeyType } from '../../../core/index.js';
import { apiKeysRepository } from '../../../store/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import {
  parseGenerateRequest,
  parseKeyType,
  parseRenewRequest,
  recordRevocation,
} from '../api-keys/index.js';
import { visibleApiOr404 } from '../apis/index.js';
import { ownedApplication } from '../applications/owned-application.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { ApiAssociateBody, DissociateBody, RenewBody, RevokeBody } from './api-bound-key-schemas.js';
import {
  associateBoundKey,
  associatedApplications,
  boundKeyToRevoke,
  dissociateBoundKey,
  issueBoundKey,
  ownedBoundKey,
  regenerateBoundKey,
  toBoundKeyInfo,
  type IssuedBoundKey,
} from './api-bound-key-service.js';

const API_BASE = `${DEVPORTAL_BASE}/apis/:apiId/api-keys`;
const SCOPES = ['apim:api_key', 'apim:subscribe', 'apim:app_manage'];

type ApiParams = { Params: { apiId: string } };

/** WSO2 `APIKey` (shown once), as the application-key routes answer it: `validityTime` too, and `keyUUID`. */
function apiKeyResponse({ apikey, row }: IssuedBoundKey) {
  const validity = row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000);
  return { keyName: row.name, apikey, validityPeriod: validity, validityTime: validity, keyUUID: row.jti };
}

/** `keyType` of an `APIAPIKeyGenerateRequest` (default PRODUCTION). @throws RestError INVALID_KEY_TYPE */
function bodyKeyType(body: unknown): KeyType {
  const raw = typeof body === 'object' && body !== null ? (body as { keyType?: unknown }).keyType : undefined;
  if (raw === undefined || raw === null) return 'PRODUCTION';
  if (typeof raw !== 'string')
    throw new RestError('INVALID_KEY_TYPE', 'keyType must be PRODUCTION or SANDBOX');
  return parseKeyType(raw);
}

/**
 * WSO2 4.7 API-bound API keys of the Developer Portal (docs/wso2-compatibility.md "API-bound API keys"):
 * `POST /apis/{apiId}/api-keys/generate` (opaque, shown once), `regenerate {keyUUID, gracePeriod?}`,
 * `revoke {keyUUID} | {apikey}`, `associate {keyUUID, applicationUUID}`, `dissociate {keyUUID}`,
 * `GET /apis/{apiId}/api-keys` (the caller's keys of that API, `APIAPIKeyList`); the application side is
 * `devportalApiKeyAssociationRoutes`. A key belongs to the user who generated it; an association names one of that user's
 * applications. Changes reach the gateways as `apikey` deltas.
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED / INVALID_KEY_TYPE / INVALID_RESTRICTION /
 * INVALID_API_KEY / API_KEYS_NOT_ENABLED / API_KEY_TYPE_MISMATCH, 404 API_NOT_FOUND / APPLICATION_NOT_FOUND /
 * API_KEY_NOT_FOUND (also another user's), 409 API_KEY_NOT_ACTIVE / API_KEY_ALREADY_ASSOCIATED.
 */
export function devportalApiBoundKeyRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const db = ctx.store;
  const scoped = { config: { scopes: SCOPES } };
  void app.register(async (r) => {
    r.post<ApiParams>(`${API_BASE}/generate`, scoped, async (req) => {
      const caller = callerOf(req);
      const api = await visibleApiOr404(db, req.params.apiId, caller);
      const keyType = bodyKeyType(req.body);
      const request = parseGenerateRequest(req.body);
      return apiKeyResponse(
        await issueBoundKey(ctx, api, caller.username, keyType, request, auditActorOf(req)),
      );
    });

    r.post<ApiParams & { Body: Static<typeof RenewBody> }>(
      `${API_BASE}/regenerate`,
      { ...scoped, schema: { body: RenewBody } },
      async (req) => {
        const caller = callerOf(req);
        const api = await visibleApiOr404(db, req.params.apiId, caller);
        const { keyUUID, gracePeriod } = parseRenewRequest(req.body);
        const old = await ownedBoundKey(ctx, api.id, caller.username, keyUUID);
        return apiKeyResponse(await regenerateBoundKey(ctx, api, old, gracePeriod, auditActorOf(req)));
      },
    );

    r.post<ApiParams & { Body: Static<typeof RevokeBody> }>(
      `${API_BASE}/revoke`,
      { ...scoped, schema: { body: RevokeBody } },
      async (req, reply) => {
        const caller = callerOf(req);
        const api = await visibleApiOr404(db, req.params.apiId, caller);
        const row = await boundKeyToRevoke(ctx, api.id, caller.username, req.body);
        await recordRevocation(ctx, { jti: row.jti, expiresAt: row.expires_at, actor: auditActorOf(req) });
        return reply.status(200).send();
      },
    );

    r.post<ApiParams & { Body: Static<typeof ApiAssociateBody> }>(
      `${API_BASE}/associate`,
      { ...scoped, schema: { body: ApiAssociateBody } },
      async (req) => {
        const caller = callerOf(req);
        const api = await visibleApiOr404(db, req.params.apiId, caller);
        const row = await ownedBoundKey(ctx, api.id, caller.username, req.body.keyUUID);
        const application = await ownedApplication(db, req.body.applicationUUID, caller.username);
        await associateBoundKey(ctx, row, application, auditActorOf(req));
        return { keyName: row.name, apiName: api.name, applicationName: application.name };
      },
    );

    r.post<ApiParams & { Body: Static<typeof DissociateBody> }>(
      `${API_BASE}/dissociate`,
      { ...scoped, schema: { body: DissociateBody } },
      async (req, reply) => {
        const caller = callerOf(req);
        const api = await visibleApiOr404(db, req.params.apiId, caller);
        await dissociateBoundKey(
          ctx,
          await ownedBoundKey(ctx, api.id, caller.username, req.body.keyUUID),
          auditActorOf(req),
        );
        return reply.status(200).send();
      },
    );

    r.get<ApiParams>(API_BASE, scoped, async (req) => {
      const caller = callerOf(req);
      const api = await visibleApiOr404(db, req.params.apiId, caller);
      const rows = await apiKeysRepository(db).listByApi(api.id, caller.username);
      const apps = await associatedApplications(ctx, rows);
      const now = ctx.clock.now();
      const list = rows.map((row) =>
        toBoundKeyInfo(row, row.application_id === null ? undefined : apps.get(row.application_id), now),
      );
      return { count: list.length, list };
    });
  });
}
