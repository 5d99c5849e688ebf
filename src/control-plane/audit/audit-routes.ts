import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import type { AuditEventQuery } from '../../store/index.js';
import type { ControlPlaneContext } from '../context.js';
import { pagination, PagingQuery, parsePaging } from '../http/paging.js';
import { actionsMatching } from './audit-actions.js';

/** Portico's own Admin extension (WSO2 has no audit API). */
export const ADMIN_AUDIT_EVENTS = '/api/am/admin/v4/audit-events';

const Filter = { type: 'string', minLength: 1, maxLength: 200 } as const;
const ListQuery = {
  type: 'object',
  properties: {
    ...PagingQuery,
    action: { type: 'string', pattern: '^[a-z0-9.*-]{1,64}$' },
    actor: Filter,
    targetType: { type: 'string', pattern: '^[a-z-]{1,32}$' },
    targetId: Filter,
    outcome: { enum: ['success', 'failure'] },
    from: { type: 'string', minLength: 1, maxLength: 40 },
    to: { type: 'string', minLength: 1, maxLength: 40 },
  },
  additionalProperties: false,
} as const;
type ListParams = { [K in keyof typeof ListQuery.properties]?: string };

/**
 * `GET /api/am/admin/v4/audit-events` (scope `apim:admin` only): the audit log, newest first, in WSO2's list
 * shape `{count, list, pagination}` with `limit`/`offset` (default 25, at most 1000) and filters `action` (a name
 * or a family `apikey.*`), `actor`, `targetType`, `targetId`, `outcome`, `from`/`to` (epoch ms or ISO-8601;
 * `from` inclusive, `to` exclusive). Faults: 401, 403 INSUFFICIENT_SCOPE, 400 INVALID_AUDIT_FILTER /
 * VALIDATION_FAILED.
 */
export function auditRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get<{ Querystring: ListParams }>(
    ADMIN_AUDIT_EVENTS,
    { config: { scopes: ['apim:admin'] }, schema: { querystring: ListQuery } },
    async (req) => {
      const q = req.query;
      const paging = parsePaging(q);
      const query = auditQueryOf(q);
      const { total, list } = await ctx.audit.list(query, paging);
      const extra = Object.entries(q)
        .filter(([k, v]) => k !== 'limit' && k !== 'offset' && v !== undefined)
        .map(([k, v]) => `&${k}=${encodeURIComponent(String(v))}`)
        .join('');
      return {
        count: list.length,
        list,
        pagination: pagination(ADMIN_AUDIT_EVENTS, paging.offset, paging.limit, total, extra),
      };
    },
  );
}

/** @throws RestError INVALID_AUDIT_FILTER */
function auditQueryOf(q: ListParams): AuditEventQuery {
  const out: { -readonly [K in keyof AuditEventQuery]: AuditEventQuery[K] } = {};
  if (q.action !== undefined) {
    out.actions = actionsMatching(q.action);
    if (out.actions.length === 0)
      throw new RestError('INVALID_AUDIT_FILTER', `Unknown audit action ${q.action} (see docs/audit-log.md)`);
  }
  if (q.actor !== undefined) out.actor = q.actor;
  if (q.targetType !== undefined) out.targetType = q.targetType;
  if (q.targetId !== undefined) out.targetId = q.targetId;
  if (q.outcome !== undefined) out.outcome = q.outcome;
  if (q.from !== undefined) out.from = timeOf('from', q.from);
  if (q.to !== undefined) out.to = timeOf('to', q.to);
  if (out.from !== undefined && out.to !== undefined && out.from > out.to)
    throw new RestError('INVALID_AUDIT_FILTER', 'from must not be after to');
  return out;
}

const ISO = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds, or an ISO-8601 date / date-time with a zone. @throws RestError INVALID_AUDIT_FILTER */
function timeOf(name: string, v: string): number {
  const n = /^\d{1,15}$/.test(v) ? Number(v) : ISO.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(n))
    throw new RestError(
      'INVALID_AUDIT_FILTER',
      `${name} must be epoch milliseconds or an ISO-8601 time with a zone (2026-12-01T10:00:00Z)`,
    );
  return n;
}
