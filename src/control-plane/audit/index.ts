export { createAuditLog, SYSTEM_ACTOR } from './audit-log.js';
export type {
  AuditLog,
  AuditSink,
  AuditActor,
  AuditEventInput,
  AuditEventDto,
  AuditDetail,
} from './audit-log.js';
export { AUDIT_ACTIONS, actionsMatching, isAuditAction } from './audit-actions.js';
export type { AuditAction, AuditTargetType } from './audit-actions.js';
export { auditActorOf } from './audit-actor.js';
export { auditRoutes, ADMIN_AUDIT_EVENTS } from './audit-routes.js';
export { startAuditPruner } from './audit-pruner.js';
