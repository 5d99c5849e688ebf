export { openStore, afterCommit } from './open-store.js';
export type { Store, StoreOptions, StoreTransaction, Queryable, Dialect } from './open-store.js';
export { isStoreUnavailable } from './store-unavailable.js';
export type * from './schema.js';
export { usersRepository } from './users-repository.js';
export type { UserRow, UsersRepository } from './users-repository.js';
export { settingsRepository } from './settings-repository.js';
export type { SettingsRepository } from './settings-repository.js';
export { apisRepository } from './apis-repository.js';
export type {
  ApiRow,
  ApiRevisionRow,
  ApiDeploymentRow,
  NewApiDeploymentRow,
  ApiLifecycleEventRow,
  ApisRepository,
} from './apis-repository.js';
export { subscriptionsRepository } from './subscriptions-repository.js';
export type {
  SubscriptionRow,
  SubscribedApiRow,
  SubscriptionsRepository,
} from './subscriptions-repository.js';
export { throttlingPoliciesRepository } from './throttling-policies-repository.js';
export type {
  ThrottlingPolicyRow,
  ThrottlingPolicyLevel,
  ThrottlingPoliciesRepository,
} from './throttling-policies-repository.js';
export { applicationsRepository } from './applications-repository.js';
export type {
  ApplicationRow,
  NewApplicationRow,
  ApplicationsRepository,
  ApplicationListQuery,
  ApplicationSortBy,
} from './applications-repository.js';
export { oauthClientsRepository } from './oauth-clients-repository.js';
export type {
  ClientForAuthentication,
  OauthClientRow,
  OauthClientsRepository,
  StoredSecretState,
} from './oauth-clients-repository.js';
export { oauthClientSecretsRepository } from './oauth-client-secrets-repository.js';
export type {
  OauthClientSecretRow,
  OauthClientSecretsRepository,
} from './oauth-client-secrets-repository.js';
export { keyMappingsRepository } from './key-mappings-repository.js';
export type { KeyMappingRow, KeyMappingsRepository } from './key-mappings-repository.js';
export { refreshTokensRepository } from './refresh-tokens-repository.js';
export type { RefreshTokenRow, RefreshTokensRepository } from './refresh-tokens-repository.js';
export { revokedTokensRepository } from './revoked-tokens-repository.js';
export type { RevokedTokenRow, RevokedTokensRepository } from './revoked-tokens-repository.js';
export { accessTokensRepository } from './access-tokens-repository.js';
export type { AccessTokenRow, AccessTokensRepository } from './access-tokens-repository.js';
export { apiKeysRepository } from './api-keys-repository.js';
export type { ApiKeyRow, ApiKeysRepository, SigningCertUsage } from './api-keys-repository.js';
export { apiKeyLeaksRepository } from './api-key-leaks-repository.js';
export type { ApiKeyLeakRow, ApiKeyLeaksRepository } from './api-key-leaks-repository.js';
export { changesRepository } from './changes-repository.js';
export type { ChangeRow, ChangesRepository } from './changes-repository.js';
export { gatewayStateRepository } from './gateway-state-repository.js';
export type {
  GatewayStateRepository,
  DeployedApiRow,
  GatewayApplicationRow,
  GatewayKeyMappingRow,
  GatewaySubscriptionRow,
  GatewayPolicyRow,
  GatewayRevocationRow,
  GatewayKeyManagerRow,
} from './gateway-state-repository.js';
export { createChangeLog } from './change-log.js';
export type { ChangeLog, RecordChange } from './change-log.js';
export { withStartupLock } from './startup-lock.js';
export { gatewaysRepository } from './gateways-repository.js';
export type { GatewayRow, GatewaysRepository } from './gateways-repository.js';
export { isUniqueViolation } from './unique-violation.js';
export { keyManagersRepository } from './key-managers-repository.js';
export type { KeyManagerRow, KeyManagersRepository } from './key-managers-repository.js';
export { blockingConditionsRepository } from './blocking-conditions-repository.js';
export type { BlockingConditionRow, BlockingConditionsRepository } from './blocking-conditions-repository.js';
export { auditEventsRepository } from './audit-events-repository.js';
export type { AuditEventRow, AuditEventQuery, AuditEventsRepository } from './audit-events-repository.js';
export { trustedCertsRepository } from './trusted-certs-repository.js';
export type { TrustedCertRow, TrustedCertsRepository } from './trusted-certs-repository.js';
export { usageRepository, applyUsageFlush, parseSparse } from './usage-repository.js';
export type { UsageMinuteRow, UsageRowQuery, UsageRepository } from './usage-repository.js';
export { sharedScopesRepository } from './shared-scopes-repository.js';
export type { SharedScopeRow, SharedScopesRepository } from './shared-scopes-repository.js';
export { systemScopesRepository } from './system-scopes-repository.js';
export type { RoleListRow, SystemScopesRepository } from './system-scopes-repository.js';
export { webhookEndpointsRepository } from './webhook-endpoints-repository.js';
export type {
  WebhookEndpointRow,
  WebhookEndpointChanges,
  WebhookEndpointsRepository,
} from './webhook-endpoints-repository.js';
export { webhookDeliveriesRepository, claimDueWebhookDeliveries } from './webhook-deliveries-repository.js';
export type {
  WebhookDeliveryRow,
  WebhookAttemptRow,
  WebhookDeliveryQuery,
  WebhookAttemptOutcome,
  WebhookDeliveriesRepository,
} from './webhook-deliveries-repository.js';
export { webhookExpiryRepository } from './webhook-expiry-repository.js';
export type { ExpiringCredentialRow, WebhookExpiryRepository } from './webhook-expiry-repository.js';
