import { auditActorOf } from '../../audit/index.js';
import type { FastifyInstance } from 'fastify';
import type { Static } from 'typebox';
import { RestError } from '../../../core/index.js';
import { apiKeysRepository, subscriptionsRepository } from '../../../store/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { keyStatus, parseKeyType } from '../api-keys/index.js';
import { visibleApiOr404 } from '../apis/index.js';
import { ownedApplication } from '../applications/owned-application.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { AppAssociateBody, DissociateBody } from './api-bound-key-schemas.js';
import { associateBoundKey, dissociateBoundKey, ownedBoundKey } from './api-bound-key-service.js';

const APP_BASE = `${DEVPORTAL_BASE}/applications/:applicationId/api-keys/:keyType`;
const SCOPES = ['apim:api_key', 'apim:subscribe', 'apim:app_manage'];

type AppParams = { Params: { applicationId: string; keyType: string } };

/**
 * The application side of WSO2 4.7's API-bound keys (docs/wso2-compatibility.md "API-bound API keys"):
 * `POST /applications/{applicationId}/api-keys/{keyType}/associate {keyUUID, apiUUID}` (→ `APIKeyAssociation`),
 * `dissociate {keyUUID}`, `GET .../associations` (`APIKeyAssociationList`) and `GET .../subscriptions` (the
 * subscribed APIs with the caller's unassociated keys of that type, `SubscribedAPIWithApiKeyList`).
 * Faults: 401, 403 INSUFFICIENT_SCOPE, 400 VALIDATION_FAILED / INVALID_KEY_TYPE / API_KEY_TYPE_MISMATCH,
 * 404 APPLICATION_NOT_FOUND / API_NOT_FOUND / API_KEY_NOT_FOUND, 409 API_KEY_NOT_ACTIVE / API_KEY_ALREADY_ASSOCIATED.
 */
export function devportalApiKeyAssociationRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const db = ctx.store;
  const scoped = { config: { scopes: SCOPES } };
  void app.register(async (r) => {
    r.post<AppParams & { Body: Static<typeof AppAssociateBody> }>(
      `${APP_BASE}/associate`,
      { ...scoped, schema: { body: AppAssociateBody } },
      async (req) => {
        const caller = callerOf(req);
        const keyType = parseKeyType(req.params.keyType);
        const application = await ownedApplication(db, req.params.applicationId, caller.username);
        const api = await visibleApiOr404(db, req.body.apiUUID, caller);
        const row = await ownedBoundKey(ctx, api.id, caller.username, req.body.keyUUID);
        if (row.key_type !== keyType) {
          throw new RestError(
            'API_KEY_TYPE_MISMATCH',
            `API key ${row.jti} is a ${row.key_type} key, not ${keyType}`,
          );
        }
        await associateBoundKey(ctx, row, application, auditActorOf(req));
        return { keyName: row.name, apiName: api.name, applicationName: application.name };
      },
    );

    r.post<AppParams & { Body: Static<typeof DissociateBody> }>(
      `${APP_BASE}/dissociate`,
      { ...scoped, schema: { body: DissociateBody } },
      async (req, reply) => {
        const caller = callerOf(req);
        const keyType = parseKeyType(req.params.keyType);
        const application = await ownedApplication(db, req.params.applicationId, caller.username);
        const row = await apiKeysRepository(db).findByJti(req.body.keyUUID);
        // Only a key associated with this application, of this key type, is named here.
        if (
          !row ||
          row.api_id === null ||
          row.application_id !== application.id ||
          row.key_type !== keyType
        ) {
          throw new RestError('API_KEY_NOT_FOUND', `API key ${req.body.keyUUID} not found`);
        }
        await dissociateBoundKey(ctx, row, auditActorOf(req));
        return reply.status(200).send();
      },
    );

    r.get<AppParams>(`${APP_BASE}/associations`, scoped, async (req) => {
      const caller = callerOf(req);
      const keyType = parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const rows = (await apiKeysRepository(db).listAssociated(application.id)).filter(
        (row) => row.key_type === keyType,
      );
      const list = [];
      for (const row of rows) {
        const api = await visibleApiOr404(db, row.api_id ?? '', caller).catch(() => null);
        // `APIKeyAssociationInfo`.
        list.push({
          keyUUID: row.jti,
          keyName: row.name,
          apiName: api?.name ?? null,
          apiUUID: row.api_id,
          issuedOn: row.issued_at,
          validityPeriod: row.expires_at === null ? -1 : Math.round((row.expires_at - row.issued_at) / 1000),
          lastUsed: row.last_used_at,
        });
      }
      return { count: list.length, list };
    });

    r.get<AppParams>(`${APP_BASE}/subscriptions`, scoped, async (req) => {
      const caller = callerOf(req);
      const keyType = parseKeyType(req.params.keyType);
      const application = await ownedApplication(db, req.params.applicationId, caller.username);
      const now = ctx.clock.now();
      const list = [];
      for (const sub of await subscriptionsRepository(db).listByApplication(application.id)) {
        const api = await visibleApiOr404(db, sub.api_id, caller).catch(() => null);
        if (api === null) continue;
        for (const row of await apiKeysRepository(db).listByApi(api.id, caller.username)) {
          if (row.application_id !== null || row.key_type !== keyType) continue;
          if (keyStatus(row, now) !== 'ACTIVE') continue;
          // `APIWithKeyInfo`.
          list.push({ keyName: row.name, keyUUID: row.jti, apiName: api.name, apiUUID: api.id });
        }
      }
      return { count: list.length, list };
    });
  });
}
