import type { Logger } from 'pino';
import { newUuid, type Clock } from '../../core/index.js';
import {
  afterCommit,
  auditEventsRepository,
  type AuditEventQuery,
  type AuditEventRow,
  type Queryable,
  type Store,
} from '../../store/index.js';
import type { AuditAction, AuditTargetType } from './audit-actions.js';
import type { AuditDetail, AuditEventDto } from './audit-wire-types.js';

export type { AuditDetail, AuditEventDto } from './audit-wire-types.js';

/** Who did it: a user name, an OAuth client id, `anonymous` or `system`, and the client's address. */
export interface AuditActor {
  readonly name: string;
  /** `request.ip` (the forwarded client when the peer is one of `[server] trusted_proxies`); null off-HTTP. */
  readonly clientIp: string | null;
}

/** The actor of work Portico does on its own (CLI, seeding, pruning). */
export const SYSTEM_ACTOR: AuditActor = Object.freeze({ name: 'system', clientIp: null });

/** One event to record. Without `failure` the outcome is `success`. */
export interface AuditEventInput {
  readonly action: AuditAction;
  readonly actor: AuditActor;
  readonly target: { readonly type: AuditTargetType; readonly id: string; readonly name?: string | null };
  /** A stable reason code (`wrong-password`, `throttled`): the outcome is then `failure`. */
  readonly failure?: string;
  readonly details?: Readonly<Record<string, AuditDetail>>;
}

/**
 * The audit log: one append-only row per credential or access event, plus one JSON log line (`audit: true`,
 * logger component `audit`) once the row is committed.
 */
export interface AuditLog {
  /**
   * Records `event` in `db`: pass the transaction of the change so the event commits (or rolls back) with it;
   * the store itself records it on its own. The log line follows the commit.
   * @example await ctx.audit.record({ action: 'apikey.revoked', actor, target: { type: 'api-key', id: jti } }, trx);
   */
  record(event: AuditEventInput, db?: Queryable): Promise<void>;
  /** Newest first. */
  list(
    query: AuditEventQuery,
    page: { limit: number; offset: number },
  ): Promise<{ total: number; list: AuditEventDto[] }>;
  /** Retention: removes events older than `before` (epoch ms). */
  prune(before: number): Promise<number>;
}

// Detail names that would smell of a secret: refused (a bug in the caller, caught by its tests).
const SECRET_NAME = /secret|password|passwd|token|apikey|hash|credential/i;
const MAX_TEXT = 200;

/**
 * Told of every recorded event, in the same transaction (`db`): what it writes commits or rolls back with the
 * event (the webhook outbox queues deliveries this way).
 */
export type AuditSink = (row: AuditEventRow, db: Queryable) => Promise<void>;

/** @example const audit = createAuditLog({ store, clock, logger, sinks: [webhooks.fromAudit] }); */
export function createAuditLog(deps: {
  store: Store;
  clock: Clock;
  logger: Logger;
  sinks?: readonly AuditSink[];
}): AuditLog {
  const log = deps.logger.child({ component: 'audit' });
  return {
    async record(event, db = deps.store) {
      const details = checkedDetails(event.details ?? {});
      const row: AuditEventRow = {
        id: newUuid(),
        occurred_at: deps.clock.now(),
        actor: clip(event.actor.name),
        client_ip: event.actor.clientIp,
        action: event.action,
        target_type: event.target.type,
        target_id: clip(event.target.id),
        target_name: event.target.name == null ? null : clip(event.target.name),
        outcome: event.failure === undefined ? 'success' : 'failure',
        reason: event.failure ?? null,
        details: JSON.stringify(details),
      };
      await auditEventsRepository(db).insert(row);
      for (const sink of deps.sinks ?? []) await sink(row, db);
      afterCommit(db, () => log.info({ audit: true, ...toDto(row) }, `audit ${row.action} ${row.outcome}`));
    },
    async list(query, page) {
      const repo = auditEventsRepository(deps.store);
      const [total, rows] = await Promise.all([repo.count(query), repo.list(query, page)]);
      return { total, list: rows.map(toDto) };
    },
    prune: (before) => auditEventsRepository(deps.store).deleteOlderThan(before),
  };
}

function checkedDetails(details: Readonly<Record<string, AuditDetail>>): Record<string, AuditDetail> {
  const out: Record<string, AuditDetail> = {};
  for (const [k, v] of Object.entries(details)) {
    if (SECRET_NAME.test(k)) throw new Error(`audit detail ${k} looks like a secret: not recorded`);
    if (v === undefined) continue;
    out[k] = typeof v === 'string' ? clip(v) : v;
  }
  return out;
}

/** Values come from requests (names, ids): bounded so an event stays small. */
const clip = (s: string) => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

function toDto(row: AuditEventRow): AuditEventDto {
  return {
    id: row.id,
    time: row.occurred_at,
    actor: row.actor,
    clientIp: row.client_ip,
    action: row.action,
    target: { type: row.target_type, id: row.target_id, name: row.target_name },
    outcome: row.outcome === 'failure' ? 'failure' : 'success',
    reason: row.reason,
    details: JSON.parse(row.details) as Record<string, AuditDetail>,
  };
}
