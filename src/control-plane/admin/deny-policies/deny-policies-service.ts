import { changeKeys, newUuid, RestError } from '../../../core/index.js';
import {
  blockingConditionsRepository,
  isUniqueViolation,
  type BlockingConditionRow,
  type Queryable,
} from '../../../store/index.js';
import type { AuditActor, AuditEventInput } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import {
  blockingConditionDto,
  parseBlockingCondition,
  type BlockingConditionDto,
} from './blocking-condition-dto.js';

/** A parsed `query` of `GET /throttling/deny-policies` (`conditionType:API & conditionValue:/x/1.0.0`). */
export interface DenyPolicyFilter {
  readonly conditionType?: string;
  readonly conditionValue?: string;
}

/**
 * Admin deny policies: every write goes through the change log, so gateways get the condition as a delta.
 * Faults: 400 INVALID_BLOCKING_CONDITION, 404 BLOCKING_CONDITION_NOT_FOUND, 409 BLOCKING_CONDITION_EXISTS.
 */
export function denyPoliciesService(ctx: ControlPlaneContext) {
  return {
    async list(filter: DenyPolicyFilter): Promise<BlockingConditionDto[]> {
      const rows = await blockingConditionsRepository(ctx.store).list();
      return rows.map(blockingConditionDto).filter((d) => matches(d, filter));
    },

    get: async (uuid: string): Promise<BlockingConditionDto> =>
      blockingConditionDto(await findOr404(ctx.store, uuid)),

    /** @throws RestError INVALID_BLOCKING_CONDITION, BLOCKING_CONDITION_EXISTS */
    async create(body: unknown, actor: AuditActor): Promise<BlockingConditionDto> {
      const parsed = parseBlockingCondition(body);
      const now = ctx.clock.now();
      const row: BlockingConditionRow = {
        uuid: newUuid(),
        condition_type: parsed.type,
        condition_value: parsed.value,
        enabled: parsed.enabled ? 1 : 0,
        created_at: now,
        updated_at: now,
      };
      const exists = () =>
        new RestError(
          'BLOCKING_CONDITION_EXISTS',
          `A ${parsed.type} deny policy with this value already exists`,
        );
      await ctx.changes
        .write(async (trx, record) => {
          const repo = blockingConditionsRepository(trx);
          if (await repo.findByValue(row.condition_type, row.condition_value)) throw exists();
          await repo.insert(row);
          record(changeKeys.blockingCondition(row.uuid));
          await ctx.audit.record(denyPolicyEvent('deny-policy.created', actor, row), trx);
        })
        .catch((err: unknown) => {
          // A concurrent create of the same condition lost the race to the unique index.
          if (isUniqueViolation(err)) throw exists();
          throw err;
        });
      return blockingConditionDto(row);
    },

    /** @throws RestError BLOCKING_CONDITION_NOT_FOUND */
    setStatus: (uuid: string, enabled: boolean, actor: AuditActor): Promise<BlockingConditionDto> =>
      ctx.changes.write(async (trx, record) => {
        const row = await findOr404(trx, uuid);
        const updated = Math.max(ctx.clock.now(), row.updated_at);
        await blockingConditionsRepository(trx).setEnabled(uuid, enabled, updated);
        record(changeKeys.blockingCondition(uuid));
        const next = { ...row, enabled: enabled ? 1 : 0, updated_at: updated };
        await ctx.audit.record(denyPolicyEvent('deny-policy.updated', actor, next), trx);
        return blockingConditionDto(next);
      }),

    /** @throws RestError BLOCKING_CONDITION_NOT_FOUND */
    delete: (uuid: string, actor: AuditActor): Promise<void> =>
      ctx.changes.write(async (trx, record) => {
        const row = await findOr404(trx, uuid);
        if (!(await blockingConditionsRepository(trx).delete(uuid))) throw notFound(uuid);
        record(changeKeys.blockingCondition(uuid));
        await ctx.audit.record(denyPolicyEvent('deny-policy.deleted', actor, row), trx);
      }),
  };
}

/** The audit event of a deny-policy change: its type, value and state. */
function denyPolicyEvent(
  action: 'deny-policy.created' | 'deny-policy.updated' | 'deny-policy.deleted',
  actor: AuditActor,
  row: BlockingConditionRow,
): AuditEventInput {
  return {
    action,
    actor,
    target: { type: 'deny-policy', id: row.uuid, name: `${row.condition_type} ${row.condition_value}` },
    details: { conditionType: row.condition_type, enabled: row.enabled === 1 },
  };
}

function matches(dto: BlockingConditionDto, filter: DenyPolicyFilter): boolean {
  if (filter.conditionType !== undefined && dto.conditionType !== filter.conditionType) return false;
  if (filter.conditionValue === undefined) return true;
  const v = dto.conditionValue;
  return typeof v === 'string'
    ? v === filter.conditionValue
    : Object.values(v).includes(filter.conditionValue);
}

const notFound = (uuid: string) =>
  new RestError('BLOCKING_CONDITION_NOT_FOUND', `Deny policy ${uuid} not found`);

async function findOr404(db: Queryable, uuid: string): Promise<BlockingConditionRow> {
  const row = await blockingConditionsRepository(db).findByUuid(uuid);
  if (!row) throw notFound(uuid);
  return row;
}
