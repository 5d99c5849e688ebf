import type { FastifyInstance } from 'fastify';
import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import {
  checkKeyManagerConnection,
  discoverKeyManager,
  jwksUriOf,
  parseDefinition,
  ProviderError,
  type JwksRefresher,
  type KeyManagerDefinition,
} from '../../../key-manager/external/index.js';
import { RESIDENT_KEY_MANAGER } from '../../../key-manager/index.js';
import {
  isUniqueViolation,
  keyManagersRepository,
  keyMappingsRepository,
  type Queryable,
} from '../../../store/index.js';
import { auditActorOf, type AuditActor, type AuditEventInput } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { JSON_ONLY } from '../../http/input-guard.js';
import { MULTIPART } from '../../http/multipart-form.js';
import type { RouteModule } from '../../create-control-plane.js';
import { RESIDENT_KEY_MANAGER_ID } from '../../devportal/key-managers/key-managers-routes.js';
import {
  definitionFromBody,
  DiscoverBody,
  KeyManagerBody,
  keyManagerDto,
  keyManagerInfo,
} from './key-manager-dto.js';

export const ADMIN_KEY_MANAGERS = '/api/am/admin/v4/key-managers';
const SCOPES = { scopes: ['apim:admin', 'apim:keymanagers_manage'] };
const IdParams = {
  type: 'object',
  properties: { keyManagerId: { type: 'string', minLength: 1, maxLength: 64 } },
  required: ['keyManagerId'],
} as const;
type One = { Params: { keyManagerId: string } };

export interface KeyManagerRoutesOptions {
  /** The JWKS refresher whose state `GET /{id}/health` reports; without it health says `NOT_RUNNING`. */
  refresher?: JwksRefresher;
}

/**
 * Admin v4 key managers (wso2-compat.md §7): `GET/POST /key-managers`, `GET/PUT/DELETE /key-managers/{id}`,
 * `POST /key-managers/discover` (well-known import, nothing saved), `GET /key-managers/{id}/health` (JWKS
 * state) and the Portico extension `POST /key-managers/{id}/test` (a live connection check, always 200 with what
 * worked and what did not). The Resident Key Manager is listed and readable but configured in deployment.toml
 * only. Connector secrets are stored but returned only as a mask. Each write records its change in the change log, in the same transaction.
 * Faults: 400 VALIDATION_FAILED / UNSUPPORTED_OPERATION / UNSUPPORTED_FIELD (tokenType EXCHANGED or BOTH, an enabled
 * tokenValidation entry), 404 KEY_MANAGER_NOT_FOUND, 409 CONFLICT (name or issuer taken, manager in use), 502 BAD_GATEWAY.
 */
export function keyManagerAdminRoutes(opts: KeyManagerRoutesOptions = {}): RouteModule {
  return (app: FastifyInstance, ctx: ControlPlaneContext) => {
    // The JWKS refresher of every control plane reloads on this; gateways follow the change log instead.
    const changed = (def: KeyManagerDefinition, action: string) => {
      ctx.bus
        .publish({
          type: 'keymanager.changed',
          at: ctx.clock.now(),
          payload: { keyManagerId: def.id, name: def.name, action },
        })
        .catch((err: unknown) => ctx.logger.error({ err }, 'event publish failed'));
    };
    const resident = () => ({
      id: RESIDENT_KEY_MANAGER_ID,
      name: RESIDENT_KEY_MANAGER,
      displayName: RESIDENT_KEY_MANAGER,
      type: 'default',
      description: 'This is Resident Key Manager',
      enabled: true,
      issuer: ctx.urls.issuer,
      tokenEndpoint: `${ctx.urls.controlPlane}/oauth2/token`,
      revokeEndpoint: `${ctx.urls.controlPlane}/oauth2/revoke`,
      introspectionEndpoint: `${ctx.urls.controlPlane}/oauth2/introspect`,
      consumerKeyClaim: 'azp',
      scopesClaim: 'scope',
    });

    app.get(ADMIN_KEY_MANAGERS, { config: SCOPES }, async () => {
      const rows = await keyManagersRepository(ctx.store).list();
      const external = rows.flatMap((r) => {
        const def = parseDefinition(r.definition);
        return def ? [keyManagerInfo({ ...def, id: r.uuid, enabled: r.enabled === 1 })] : [];
      });
      const list = [keyManagerInfo(resident()), ...external];
      return { count: list.length, list };
    });

    app.post<{ Body: DiscoverBody }>(
      `${ADMIN_KEY_MANAGERS}/discover`,
      // WSO2 documents `-F url=... -F type=...`; the JSON form is Portico's.
      {
        config: { ...SCOPES, accepts: [...JSON_ONLY, MULTIPART], formFields: ['url', 'type'] },
        schema: { body: DiscoverBody },
      },
      async (req) => {
        if (!/^https?:\/\//i.test(req.body.url)) {
          throw new RestError('VALIDATION_FAILED', 'url must be an absolute http(s) URL');
        }
        try {
          const found = await discoverKeyManager(req.body.url, req.body.type);
          return { valid: true, value: keyManagerDto({ ...found, id: '', name: '', displayName: '' }) };
        } catch (err) {
          if (err instanceof ProviderError) throw new RestError('BAD_GATEWAY', err.message);
          throw err;
        }
      },
    );

    app.post<{ Body: KeyManagerBody }>(
      ADMIN_KEY_MANAGERS,
      { config: SCOPES, schema: { body: KeyManagerBody } },
      async (req, reply) => {
        const def = definitionFromBody(req.body, newUuid(), null);
        await ctx.changes.write(async (trx, record) => {
          await assertUnique(trx, def, ctx.urls.issuer);
          record(changeKeys.keyManager(def.name));
          const now = ctx.clock.now();
          await keyManagersRepository(trx)
            .insert({
              uuid: def.id,
              name: def.name,
              type: def.type,
              enabled: def.enabled ? 1 : 0,
              definition: JSON.stringify(def),
              created_at: now,
              updated_at: now,
            })
            .catch((err: unknown) => {
              // A concurrent create of the same name lost the race to the unique index.
              if (isUniqueViolation(err))
                throw new RestError('CONFLICT', `A key manager named ${def.name} already exists`);
              throw err;
            });
          await ctx.audit.record(keyManagerEvent('keymanager.created', auditActorOf(req), def), trx);
        });
        changed(def, 'created');
        return reply
          .status(201)
          .header('location', `${ADMIN_KEY_MANAGERS}/${def.id}`)
          .send(keyManagerDto(def));
      },
    );

    app.get<One>(
      `${ADMIN_KEY_MANAGERS}/:keyManagerId`,
      { config: SCOPES, schema: { params: IdParams } },
      async (req) => {
        if (req.params.keyManagerId === RESIDENT_KEY_MANAGER_ID) return resident();
        return keyManagerDto(await findOr404(ctx.store, req.params.keyManagerId));
      },
    );

    app.put<One & { Body: KeyManagerBody }>(
      `${ADMIN_KEY_MANAGERS}/:keyManagerId`,
      { config: SCOPES, schema: { params: IdParams, body: KeyManagerBody } },
      async (req) => {
        notResident(req.params.keyManagerId);
        const def = await ctx.changes.write(async (trx, record) => {
          const previous = await findOr404(trx, req.params.keyManagerId);
          record(changeKeys.keyManager(previous.name));
          if (req.body.name !== previous.name) {
            throw new RestError('VALIDATION_FAILED', 'The name of a key manager cannot be changed');
          }
          const next = definitionFromBody(req.body, previous.id, previous);
          await assertUnique(trx, next, ctx.urls.issuer);
          await keyManagersRepository(trx).update(next.id, {
            type: next.type,
            enabled: next.enabled ? 1 : 0,
            definition: JSON.stringify(next),
            updated_at: ctx.clock.now(),
          });
          await ctx.audit.record(keyManagerEvent('keymanager.updated', auditActorOf(req), next), trx);
          return next;
        });
        changed(def, 'updated');
        return keyManagerDto(def);
      },
    );

    app.delete<One>(
      `${ADMIN_KEY_MANAGERS}/:keyManagerId`,
      { config: SCOPES, schema: { params: IdParams } },
      async (req, reply) => {
        notResident(req.params.keyManagerId);
        const def = await ctx.changes.write(async (trx, record) => {
          const found = await findOr404(trx, req.params.keyManagerId);
          record(changeKeys.keyManager(found.name));
          const used = await keyMappingsRepository(trx).countByKeyManager(found.name);
          if (used > 0) {
            throw new RestError(
              'CONFLICT',
              `Key manager ${found.name} is used by ${used} application key(s)`,
            );
          }
          await keyManagersRepository(trx).delete(found.id);
          await ctx.audit.record(keyManagerEvent('keymanager.deleted', auditActorOf(req), found), trx);
          return found;
        });
        changed(def, 'deleted');
        return reply.status(200).send();
      },
    );

    app.get<One>(
      `${ADMIN_KEY_MANAGERS}/:keyManagerId/health`,
      { config: SCOPES, schema: { params: IdParams } },
      async (req) => {
        notResident(req.params.keyManagerId);
        const def = await findOr404(ctx.store, req.params.keyManagerId);
        const h = opts.refresher?.health(def.name) ?? null;
        const status = !def.enabled
          ? 'DISABLED'
          : jwksUriOf(def) === null
            ? 'NOT_CONFIGURED'
            : !opts.refresher
              ? 'NOT_RUNNING'
              : h?.ok === true
                ? 'OK'
                : h?.ok === false
                  ? 'FAILING'
                  : 'PENDING';
        return {
          id: def.id,
          name: def.name,
          status,
          jwksUri: jwksUriOf(def),
          lastRefreshAt: h?.lastSuccessAt ?? null,
          lastAttemptAt: h?.lastAttemptAt ?? null,
          error: h?.error ?? null,
          consecutiveFailures: h?.consecutiveFailures ?? 0,
          keyIds: h?.keyIds ?? [],
        };
      },
    );

    app.post<One>(
      `${ADMIN_KEY_MANAGERS}/:keyManagerId/test`,
      { config: SCOPES, schema: { params: IdParams } },
      async (req) => {
        notResident(req.params.keyManagerId);
        const def = await findOr404(ctx.store, req.params.keyManagerId);
        return { id: def.id, name: def.name, ...(await checkKeyManagerConnection(def)) };
      },
    );
  };
}

/** The audit event of a key-manager change: type, issuer and state only (its client secret never). */
function keyManagerEvent(
  action: 'keymanager.created' | 'keymanager.updated' | 'keymanager.deleted',
  actor: AuditActor,
  def: KeyManagerDefinition,
): AuditEventInput {
  return {
    action,
    actor,
    target: { type: 'key-manager', id: def.id, name: def.name },
    details: { type: def.type, issuer: def.issuer, enabled: def.enabled },
  };
}

/** @throws RestError KEY_MANAGER_NOT_FOUND */
async function findOr404(db: Queryable, id: string): Promise<KeyManagerDefinition> {
  const row = await keyManagersRepository(db).findByUuid(id);
  const def = row ? parseDefinition(row.definition) : null;
  if (!row || !def) throw new RestError('KEY_MANAGER_NOT_FOUND', `Key manager ${id} not found`);
  return { ...def, id: row.uuid, name: row.name, enabled: row.enabled === 1 };
}

/** @throws RestError UNSUPPORTED_OPERATION for the resident key manager */
function notResident(id: string): void {
  if (id === RESIDENT_KEY_MANAGER_ID) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `The ${RESIDENT_KEY_MANAGER} is configured in deployment.toml`,
    );
  }
}

/** @throws RestError CONFLICT when the name or the issuer is taken (the gateway finds managers by issuer) */
async function assertUnique(db: Queryable, def: KeyManagerDefinition, residentIssuer: string): Promise<void> {
  if (def.issuer === residentIssuer) {
    throw new RestError('CONFLICT', `Issuer ${def.issuer} is the ${RESIDENT_KEY_MANAGER}'s`);
  }
  const rows = await keyManagersRepository(db).list();
  for (const r of rows) {
    if (r.uuid === def.id) continue;
    if (r.name.toLowerCase() === def.name.toLowerCase()) {
      throw new RestError('CONFLICT', `A key manager named ${def.name} already exists`);
    }
    if (parseDefinition(r.definition)?.issuer === def.issuer) {
      throw new RestError('CONFLICT', `Key manager ${r.name} already uses issuer ${def.issuer}`);
    }
  }
}
