import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import { importClient, RESIDENT_KEY_MANAGER } from '../../../key-manager/index.js';
import {
  apisRepository,
  applicationsRepository,
  keyMappingsRepository,
  oauthClientsRepository,
  subscriptionsRepository,
  throttlingPoliciesRepository,
  type ApplicationRow,
  type Queryable,
} from '../../../store/index.js';
import type { AuditActor } from '../../audit/index.js';
import type { Caller } from '../../auth/authenticate.js';
import type { ControlPlaneContext } from '../../context.js';
import type { ProjectFiles } from '../../project-archive/index.js';
import { applicationInfoDto } from '../applications/application-dto.js';
import { keyMappingEvent } from '../keys/key-mapping-service.js';
import { subscribe, subscriptionEvent } from '../subscriptions/subscription-service.js';
import {
  readApplicationProject,
  type ProjectKey,
  type ProjectSubscription,
} from './application-project-reader.js';

/** The query options of `POST /applications/import` (WSO2's names; all default to false / the caller). */
export interface ApplicationImportOptions {
  /** Keep the owner named in the project (who must exist here). */
  preserveOwner: boolean;
  /** The owner in this deployment when the owner is not preserved (default: the caller). */
  appOwner: string | undefined;
  skipSubscriptions: boolean;
  skipApplicationKeys: boolean;
  /** Update the owner's application of the same name instead of refusing it. */
  update: boolean;
}

/** The outcome: the application (200) and the subscriptions that could not be made here (207 when any). */
export interface ApplicationImportResult {
  application: ReturnType<typeof applicationInfoDto>;
  skipped: ProjectSubscription[];
}

/**
 * Creates (or with `update` updates) an application from an apictl project in one transaction: its fields, its
 * subscriptions (each API found by provider, name and version — or name and version when the provider differs —
 * published, visible to the owner and offering the tier to the owner; others are skipped and listed) and its
 * resident key manager keys under the same consumer keys and secrets. A refused project writes nothing.
 * Faults: those of readApplicationProject; 400 VALIDATION_FAILED (unknown owner, unknown application policy);
 * 409 APPLICATION_EXISTS (without update), KEYS_ALREADY_GENERATED (a consumer key taken here, or the
 * application already has other keys of that type).
 */
export async function importApplication(
  ctx: ControlPlaneContext,
  project: ProjectFiles,
  opts: ApplicationImportOptions,
  caller: Caller,
  actor: AuditActor,
): Promise<ApplicationImportResult> {
  const p = readApplicationProject(project);
  const ownerName = opts.preserveOwner && p.owner ? p.owner : (opts.appOwner ?? caller.username);
  const user = await ctx.users.get(ownerName);
  if (!user)
    throw new RestError('VALIDATION_FAILED', `The owner ${ownerName} is not a user of this deployment`);
  const owner: Caller = { username: user.username, roles: [...user.roles], scopes: [], via: 'basic' };
  if (!(await throttlingPoliciesRepository(ctx.store).findByName('application', p.input.throttlingPolicy)))
    throw new RestError(
      'VALIDATION_FAILED',
      `Throttling policy ${p.input.throttlingPolicy} does not exist at the application level`,
    );
  return ctx.changes.write(async (trx, record) => {
    const now = ctx.clock.now();
    const apps = applicationsRepository(trx);
    let app = await apps.findByOwnerAndName(owner.username, p.input.name);
    if (app && !opts.update)
      throw new RestError(
        'APPLICATION_EXISTS',
        `An application named ${p.input.name} already exists; import with update=true to update it`,
      );
    if (app) {
      await apps.update(app.uuid, {
        throttling_policy: p.input.throttlingPolicy,
        description: p.input.description,
        group_id: p.input.groups.join(','),
        attributes: JSON.stringify(p.input.attributes),
        ...(p.input.tokenType ? { token_type: p.input.tokenType } : {}),
        updated_at: now,
      });
    } else {
      const uuid = newUuid();
      await apps.create({
        uuid,
        owner: owner.username,
        now,
        ...p.input,
        tokenType: p.input.tokenType ?? 'JWT',
      });
      await ctx.audit.record(
        {
          action: 'application.created',
          actor,
          target: { type: 'application', id: uuid, name: p.input.name },
          details: { owner: owner.username, tier: p.input.throttlingPolicy, imported: true },
        },
        trx,
      );
    }
    app = (await apps.findByOwnerAndName(owner.username, p.input.name)) as ApplicationRow;
    record(changeKeys.application(app.id));
    const skipped: ProjectSubscription[] = [];
    if (!opts.skipSubscriptions) {
      for (const s of p.subscriptions) {
        const made = await importSubscription(trx, owner, app, s, now);
        if (made === 'skipped') skipped.push(s);
        else if (made) {
          record(changeKeys.subscription(made.uuid, made.api_id, made.application_id));
          await ctx.audit.record(subscriptionEvent('subscription.created', actor, made), trx);
        }
      }
    }
    if (!opts.skipApplicationKeys) {
      for (const k of p.keys) {
        const row = await importKey(trx, app, k, now);
        if (!row) continue;
        record(changeKeys.keyMapping(row.key_manager, row.consumer_key));
        await ctx.audit.record(keyMappingEvent('oauth-keys.mapped', actor, row, { imported: true }), trx);
      }
    }
    const count = (await subscriptionsRepository(trx).listByApplication(app.id)).length;
    return { application: applicationInfoDto(app, count), skipped };
  });
}

/** The subscription made, null when it already existed, 'skipped' when this deployment cannot make it. */
async function importSubscription(
  db: Queryable,
  owner: Caller,
  app: ApplicationRow,
  s: ProjectSubscription,
  now: number,
) {
  const candidates = (await apisRepository(db).list()).filter(
    (a) => a.name === s.apiName && a.version === s.version,
  );
  const api =
    candidates.find((a) => a.provider === s.providerName) ??
    (candidates.length === 1 ? candidates[0] : undefined);
  if (!api) return 'skipped' as const;
  if (await subscriptionsRepository(db).findByApplicationAndApi(app.id, api.id)) return null;
  try {
    const row = await subscribe(
      db,
      owner,
      { applicationId: app.uuid, apiId: api.id, throttlingPolicy: s.throttlingPolicy },
      now,
    );
    if (s.status !== 'UNBLOCKED') {
      await subscriptionsRepository(db).update(row.uuid, { status: s.status, updated_at: now });
      return { ...row, status: s.status };
    }
    return row;
  } catch (err) {
    // Not published here, not visible to the owner, the tier not offered: WSO2 answers 207 listing these.
    if (err instanceof RestError && err.status < 500) return 'skipped' as const;
    throw err;
  }
}

async function importKey(db: Queryable, app: ApplicationRow, k: ProjectKey, now: number) {
  const mappings = keyMappingsRepository(db);
  const current = await mappings.find(app.id, k.keyType, RESIDENT_KEY_MANAGER);
  if (current?.consumer_key === k.consumerKey) return null;
  if (current)
    throw new RestError(
      'KEYS_ALREADY_GENERATED',
      `The application already has other ${k.keyType} keys; delete them or import with skipApplicationKeys=true`,
    );
  if (await oauthClientsRepository(db).find(k.consumerKey))
    throw new RestError(
      'KEYS_ALREADY_GENERATED',
      `Consumer key of the ${k.keyType} keys is already registered here`,
    );
  await importClient(
    db,
    {
      clientId: k.consumerKey,
      name: `${app.owner}_${app.name}_${k.keyType}`,
      owner: app.owner,
      grantTypes: k.grantTypes,
      callbackUrl: k.callbackUrl,
      applicationId: app.id,
      keyType: k.keyType,
      secrets: k.secrets,
    },
    now,
  );
  const row = {
    uuid: newUuid(),
    application_id: app.id,
    key_type: k.keyType,
    key_manager: RESIDENT_KEY_MANAGER,
    consumer_key: k.consumerKey,
    mode: 'CREATED',
    key_state: 'APPROVED',
    grant_types: JSON.stringify(k.grantTypes),
    callback_url: k.callbackUrl,
    additional_properties: JSON.stringify(k.additionalProperties),
    created_at: now,
    updated_at: now,
  };
  await mappings.insert(row);
  return row;
}
