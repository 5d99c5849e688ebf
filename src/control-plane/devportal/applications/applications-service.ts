import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import {
  applicationsRepository,
  keyMappingsRepository,
  throttlingPoliciesRepository,
  type ApplicationRow,
} from '../../../store/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import { applicationKeyDto } from '../keys/application-key-dto.js';
import { applicationDto, type ApplicationBody } from './application-dto.js';

/** A create or update request, trimmed and with defaults filled in. */
export interface ApplicationInput {
  name: string;
  throttlingPolicy: string;
  description: string;
  groups: string[];
  attributes: Record<string, string>;
  /** `JWT` or `OAUTH`; undefined when the body has none (JWT on create, unchanged on update). */
  tokenType: 'JWT' | 'OAUTH' | undefined;
}

/** The request body as the service takes it: the name trimmed, absent fields empty. */
export function applicationInput(b: ApplicationBody): ApplicationInput {
  return {
    name: b.name.trim(),
    throttlingPolicy: b.throttlingPolicy,
    description: b.description ?? '',
    groups: b.groups ?? [],
    attributes: b.attributes ?? {},
    tokenType: b.tokenType,
  };
}

/**
 * Creates an application of `owner`; returns its uuid.
 * @throws RestError VALIDATION_FAILED (unknown application policy), APPLICATION_EXISTS (name taken by the owner)
 */
export async function createApplication(
  ctx: ControlPlaneContext,
  owner: string,
  input: ApplicationInput,
): Promise<string> {
  await checkPolicy(ctx, input.throttlingPolicy);
  const uuid = newUuid();
  await uniqueName(ctx, owner, input.name, async () => {
    await ctx.changes.write(async (trx, record) => {
      const id = await applicationsRepository(trx).create({
        uuid,
        owner,
        now: ctx.clock.now(),
        ...input,
        tokenType: input.tokenType ?? 'JWT',
      });
      record(changeKeys.application(id));
    });
  });
  return uuid;
}

/**
 * Replaces the editable fields of `row`.
 * @throws RestError VALIDATION_FAILED (unknown application policy), APPLICATION_EXISTS (name taken by the owner)
 */
export async function updateApplication(
  ctx: ControlPlaneContext,
  row: ApplicationRow,
  input: ApplicationInput,
): Promise<void> {
  await checkPolicy(ctx, input.throttlingPolicy);
  await uniqueName(
    ctx,
    row.owner,
    input.name,
    () =>
      ctx.changes.write(async (trx, record) => {
        await applicationsRepository(trx).update(row.uuid, {
          name: input.name,
          throttling_policy: input.throttlingPolicy,
          description: input.description,
          group_id: input.groups.join(','),
          attributes: JSON.stringify(input.attributes),
          // Tokens already issued keep their form until they expire or are revoked; new ones follow the type.
          ...(input.tokenType !== undefined ? { token_type: input.tokenType } : {}),
          updated_at: ctx.clock.now(),
        });
        record(changeKeys.application(row.id));
      }),
    row.uuid,
  );
}

/** Deletes `row` with the OAuth clients generated for it; a mapped (pre-existing) client is only unlinked. */
export async function deleteApplication(ctx: ControlPlaneContext, row: ApplicationRow): Promise<void> {
  const km = residentKeyManagerOf(ctx);
  await ctx.changes.write(async (trx, record) => {
    for (const m of await keyMappingsRepository(trx).listByApplication(row.id)) {
      if (m.mode === 'CREATED') await km.deleteClient(m.consumer_key, trx);
      else await km.updateClient(m.consumer_key, { applicationId: null, keyType: null }, trx);
      record(changeKeys.keyMapping(m.key_manager, m.consumer_key));
    }
    await applicationsRepository(trx).delete(row.uuid);
    // Gateways drop the application's subscriptions and key mappings with it.
    record(changeKeys.application(row.id));
  });
}

/** The WSO2 `Application` resource of `row`, with its subscription count and keys. */
export async function applicationResource(ctx: ControlPlaneContext, row: ApplicationRow) {
  const [counts, mappings] = await Promise.all([
    applicationsRepository(ctx.store).subscriptionCounts([row.id]),
    keyMappingsRepository(ctx.store).listByApplication(row.id),
  ]);
  return applicationDto(
    row,
    counts.get(row.id) ?? 0,
    mappings.map((m) => applicationKeyDto(m)),
  );
}

async function checkPolicy(ctx: ControlPlaneContext, name: string): Promise<void> {
  if (!(await throttlingPoliciesRepository(ctx.store).findByName('application', name))) {
    throw new RestError(
      'VALIDATION_FAILED',
      `Throttling policy ${name} does not exist at the application level`,
    );
  }
}

/** Runs a write that must keep (owner, name) unique; maps both the pre-check and a lost race to 409. */
async function uniqueName(
  ctx: ControlPlaneContext,
  owner: string,
  name: string,
  write: () => Promise<void>,
  selfUuid?: string,
): Promise<void> {
  const repo = applicationsRepository(ctx.store);
  const taken = async () => {
    const other = await repo.findByOwnerAndName(owner, name);
    return other !== undefined && other.uuid !== selfUuid;
  };
  const conflict = () => new RestError('APPLICATION_EXISTS', `An application named ${name} already exists`);
  if (await taken()) throw conflict();
  try {
    await write();
  } catch (err) {
    // A lost race shows as the database's unique violation; the name is then taken.
    if (await taken()) throw conflict();
    throw err;
  }
}
