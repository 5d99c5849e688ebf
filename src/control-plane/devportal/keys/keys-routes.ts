import type { FastifyInstance } from 'fastify';
import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import { isUniqueViolation, keyMappingsRepository, type KeyMappingRow } from '../../../store/index.js';
import { auditActorOf } from '../../audit/index.js';
import { callerOf } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { ownedApplication } from '../applications/owned-application.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';
import { findExternalKeyManager, keyManagerOfMapping } from './external-key-managers.js';
import { deleteExternalClient, generateExternalKeys, mapExternalKeys } from './external-keys.js';
import { applicationKeyDto } from './application-key-dto.js';
import {
  applicationToken,
  checkGrants,
  keyMappingEvent,
  mappingOf,
  ownedMapping,
  propertiesOf,
  requireResidentKeyManager,
  type KeyPathParams,
} from './key-mapping-service.js';
import {
  AppParams,
  GenerateKeysBody,
  KEY_PATHS,
  KeyParams,
  MapKeysBody,
  UpdateKeyBody,
} from './key-schemas.js';

const SCOPES = { scopes: ['apim:subscribe', 'apim:app_manage'] };
type AppId = { applicationId: string };
type KeyId = AppId & { keyMappingId: string };

/**
 * Application keys with the resident key manager (wso2-compat.md §5.1, §6): generate-keys, map-keys, list, read,
 * update and delete key mappings (list, read and update also under WSO2's deprecated `keys[/{keyType}]`). Consumer secrets are returned once (generation) and stored hashed. A
 * `keyManager` naming an enabled external manager goes through its connector (devportal/keys/external-keys.ts;
 * the provider's secret is not stored; BAD_GATEWAY when the provider fails).
 * Faults: APPLICATION_NOT_FOUND / KEY_MAPPING_NOT_FOUND (404, also for another user's), KEYS_ALREADY_GENERATED (409),
 * VALIDATION_FAILED, INVALID_CONSUMER_SECRET (map-keys), UNSUPPORTED_OPERATION (external key manager).
 */
export function keysRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const base = `${DEVPORTAL_BASE}/applications/:applicationId`;
  const km = () => residentKeyManagerOf(ctx);

  app.post<{ Params: AppId; Body: GenerateKeysBody }>(
    `${base}/generate-keys`,
    { config: SCOPES, schema: { params: AppParams, body: GenerateKeysBody } },
    async (request) => {
      const caller = callerOf(request);
      const appRow = await ownedApplication(ctx.store, request.params.applicationId, caller.username);
      const body = request.body;
      const external = await findExternalKeyManager(ctx.store, body.keyManager, caller.roles);
      if (external) {
        const r = await generateExternalKeys(ctx, external, appRow, {
          actor: auditActorOf(request),
          keyType: body.keyType,
          grantTypes: body.grantTypesToBeSupported,
          callbackUrl: body.callbackUrl ?? '',
          scopes: body.scopes ?? [],
          validityPeriod: body.validityTime === undefined ? undefined : Number(body.validityTime),
          properties: propertiesOf(body.additionalProperties),
        });
        return applicationKeyDto(r.mapping, { consumerSecret: r.consumerSecret, token: r.token });
      }
      const kmName = requireResidentKeyManager(body.keyManager);
      const grants = checkGrants(body.grantTypesToBeSupported);
      const props = propertiesOf(body.additionalProperties);
      const validity = body.validityTime === undefined ? undefined : Number(body.validityTime);
      if (await keyMappingsRepository(ctx.store).find(appRow.id, body.keyType, kmName)) {
        throw keysExist(body.keyType);
      }
      const now = ctx.clock.now();
      let secret = '';
      let mapping: KeyMappingRow;
      try {
        mapping = await ctx.changes.write(async (trx, record) => {
          const created = await km().createClient(
            {
              name: `${appRow.owner}_${appRow.name}_${body.keyType}`,
              owner: appRow.owner,
              grantTypes: grants,
              callbackUrl: body.callbackUrl ?? '',
              applicationId: appRow.id,
              keyType: body.keyType,
            },
            trx,
          );
          secret = created.clientSecret;
          const row: KeyMappingRow = {
            uuid: newUuid(),
            application_id: appRow.id,
            key_type: body.keyType,
            key_manager: kmName,
            consumer_key: created.client.clientId,
            mode: 'CREATED',
            key_state: 'APPROVED',
            grant_types: JSON.stringify(grants),
            callback_url: body.callbackUrl ?? '',
            additional_properties: JSON.stringify(props),
            created_at: now,
            updated_at: now,
          };
          await keyMappingsRepository(trx).insert(row);
          record(changeKeys.keyMapping(row.key_manager, row.consumer_key));
          await ctx.audit.record(keyMappingEvent('oauth-keys.generated', auditActorOf(request), row), trx);
          return row;
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keysExist(body.keyType);
        throw err;
      }
      const token = grants.includes('client_credentials')
        ? await applicationToken(km(), mapping.consumer_key, body.scopes ?? [], validity)
        : null;
      return applicationKeyDto(mapping, { consumerSecret: secret, token });
    },
  );

  app.post<{ Params: AppId; Body: MapKeysBody }>(
    `${base}/map-keys`,
    { config: SCOPES, schema: { params: AppParams, body: MapKeysBody } },
    async (request) => {
      const caller = callerOf(request);
      const appRow = await ownedApplication(ctx.store, request.params.applicationId, caller.username);
      const body = request.body;
      const external = await findExternalKeyManager(ctx.store, body.keyManager, caller.roles);
      if (external) {
        const mapped = await mapExternalKeys(ctx, external, appRow, {
          ...body,
          actor: auditActorOf(request),
        });
        return applicationKeyDto(mapped, { consumerSecret: body.consumerSecret });
      }
      const kmName = requireResidentKeyManager(body.keyManager);
      const client = await km().authenticateClient(body.consumerKey, body.consumerSecret);
      // Same answer for unknown, foreign and wrong-secret clients: nothing to learn about other users' clients.
      if (!client || client.owner !== appRow.owner) {
        throw new RestError('INVALID_CONSUMER_SECRET', 'The consumer key or consumer secret is not valid');
      }
      const repo = keyMappingsRepository(ctx.store);
      if (client.applicationId !== null || (await repo.findByConsumerKey(kmName, client.clientId))) {
        throw new RestError(
          'KEYS_ALREADY_GENERATED',
          'This consumer key is already mapped to an application',
        );
      }
      if (await repo.find(appRow.id, body.keyType, kmName)) throw keysExist(body.keyType);
      const now = ctx.clock.now();
      const row: KeyMappingRow = {
        uuid: newUuid(),
        application_id: appRow.id,
        key_type: body.keyType,
        key_manager: kmName,
        consumer_key: client.clientId,
        mode: 'MAPPED',
        key_state: 'APPROVED',
        grant_types: JSON.stringify(client.grantTypes),
        callback_url: client.callbackUrl,
        additional_properties: '{}',
        created_at: now,
        updated_at: now,
      };
      try {
        await ctx.changes.write(async (trx, record) => {
          await keyMappingsRepository(trx).insert(row);
          await km().updateClient(client.clientId, { applicationId: appRow.id, keyType: body.keyType }, trx);
          record(changeKeys.keyMapping(row.key_manager, row.consumer_key));
          await ctx.audit.record(keyMappingEvent('oauth-keys.mapped', auditActorOf(request), row), trx);
        });
      } catch (err) {
        if (isUniqueViolation(err)) throw keysExist(body.keyType);
        throw err;
      }
      return applicationKeyDto(row, { consumerSecret: body.consumerSecret });
    },
  );

  // `keys` is WSO2's deprecated name of the same list (ApplicationKeyList).
  for (const list of ['oauth-keys', 'keys']) {
    app.get<{ Params: AppId }>(
      `${base}/${list}`,
      { config: SCOPES, schema: { params: AppParams } },
      async (request) => {
        const appRow = await ownedApplication(
          ctx.store,
          request.params.applicationId,
          callerOf(request).username,
        );
        const list = (await keyMappingsRepository(ctx.store).listByApplication(appRow.id)).map((m) =>
          applicationKeyDto(m),
        );
        return { count: list.length, list };
      },
    );
  }

  for (const key of KEY_PATHS) {
    app.get<{ Params: KeyPathParams }>(
      `${base}/${key.path}`,
      { config: SCOPES, schema: { params: key.params } },
      async (request) => {
        const { m } = await ownedMapping(ctx, request.params, callerOf(request).username);
        return applicationKeyDto(m);
      },
    );

    app.put<{ Params: KeyPathParams; Body: UpdateKeyBody }>(
      `${base}/${key.path}`,
      { config: SCOPES, schema: { params: key.params, body: UpdateKeyBody } },
      async (request) => {
        const { appRow, m } = await ownedMapping(ctx, request.params, callerOf(request).username);
        const body = request.body;
        const grants = body.supportedGrantTypes ? checkGrants(body.supportedGrantTypes) : undefined;
        const props =
          body.additionalProperties === undefined ? undefined : propertiesOf(body.additionalProperties);
        const callback = body.callbackUrl === undefined ? undefined : (body.callbackUrl ?? '');
        const external = await keyManagerOfMapping(ctx.store, m);
        await ctx.store.transaction(async (trx) => {
          if (!external)
            await km().updateClient(m.consumer_key, { grantTypes: grants, callbackUrl: callback }, trx);
          await keyMappingsRepository(trx).update(m.uuid, {
            ...(grants ? { grant_types: JSON.stringify(grants) } : {}),
            ...(callback !== undefined ? { callback_url: callback } : {}),
            ...(props ? { additional_properties: JSON.stringify(props) } : {}),
            updated_at: ctx.clock.now(),
          });
        });
        return applicationKeyDto(await mappingOf(ctx, appRow.id, m.uuid));
      },
    );
  }

  app.delete<{ Params: KeyId }>(
    `${base}/oauth-keys/:keyMappingId`,
    { config: SCOPES, schema: { params: KeyParams } },
    async (request, reply) => {
      const { m } = await ownedMapping(ctx, request.params, callerOf(request).username);
      const external = await keyManagerOfMapping(ctx.store, m);
      await ctx.changes.write(async (trx, record) => {
        await keyMappingsRepository(trx).delete(m.uuid);
        record(changeKeys.keyMapping(m.key_manager, m.consumer_key));
        await ctx.audit.record(keyMappingEvent('oauth-keys.deleted', auditActorOf(request), m), trx);
        if (external) return;
        if (m.mode === 'CREATED') await km().deleteClient(m.consumer_key, trx);
        else await km().updateClient(m.consumer_key, { applicationId: null, keyType: null }, trx);
      });
      if (external) await deleteExternalClient(ctx, external, m);
      return reply.status(200).send();
    },
  );
}

function keysExist(keyType: string): RestError {
  return new RestError(
    'KEYS_ALREADY_GENERATED',
    `${keyType} keys are already generated for this key manager`,
  );
}
