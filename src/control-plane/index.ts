export { createControlPlane } from './create-control-plane.js';
export { buildControlPlaneContext } from './build-context.js';
export type { ContextParts } from './build-context.js';
export type { ControlPlane, RegisteredRoute, RouteModule } from './create-control-plane.js';
export type {
  ControlPlaneContext,
  SigningKey,
  TrustedCertificate,
  TrustedCertificates,
  PorticoUrls,
} from './context.js';
export { importTrustedCert, seedTrustStoreOnce, signingAliasWarnings } from './trust-store/index.js';
export type { Caller, AccessTokenVerifier, SessionResolver } from './auth/authenticate.js';
export { callerOf } from './auth/authenticate.js';
export { createUserService } from './users/user-service.js';
export type { User, UserService, SignInResult } from './users/user-service.js';
export { ROLES } from './users/roles.js';
export { SCOPE_ROLES } from './scopes/system-scope-defaults.js';
export { systemScopesOf } from './scopes/system-scopes.js';
export type { SystemScopes, RoleAlias } from './scopes/system-scopes.js';
export type { Role } from './users/roles.js';
export { createSnapshotService } from './snapshot/index.js';
export type { SnapshotService } from './snapshot/index.js';
export { startChangeFeed, startChangeLogPruner } from './sync/index.js';
export type { ChangeFeed, ChangePage, VersionedDelta } from './sync/index.js';
export { userRoutes } from './users/user-routes.js';
export type { SignUpHook } from './users/user-routes.js';
export { controlPlaneMetrics } from './http/control-plane-metrics.js';
export type { ControlPlaneMetrics, OutboxSource } from './http/control-plane-metrics.js';
export {
  createAuditLog,
  SYSTEM_ACTOR,
  auditActorOf,
  AUDIT_ACTIONS,
  startAuditPruner,
} from './audit/index.js';
export type { AuditLog, AuditActor, AuditAction, AuditEventInput, AuditEventDto } from './audit/index.js';
export { startUsagePruner, USAGE_PATHS } from './analytics/index.js';
export { createWebhookOutbox, startWebhookDelivery } from './webhooks/index.js';
export type { WebhookOutbox, WebhookDelivery } from './webhooks/index.js';
