import type { Generated } from 'kysely';

/**
 * The Portico store schema (SQLite and PostgreSQL alike). Conventions: times are epoch milliseconds (bigint),
 * booleans are integers 0/1, JSON is text. Secrets are stored only as hashes.
 */
export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  /** JSON array of role names. */
  roles: string;
  email: string | null;
  failed_attempts: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface ApplicationsTable {
  id: Generated<number>;
  uuid: string;
  name: string;
  owner: string;
  throttling_policy: string;
  description: string;
  token_type: string;
  status: string;
  group_id: string;
  /** JSON object of string attributes. */
  attributes: string;
  created_at: number;
  updated_at: number;
}

/** OAuth clients of the resident key manager (application keys and REST clients registered by DCR). */
export interface OauthClientsTable {
  client_id: string;
  secret_hash: string;
  name: string;
  owner: string;
  /** JSON array of grant types. */
  grant_types: string;
  callback_url: string;
  /** Set for application keys; null for REST clients (client-registration). */
  application_id: number | null;
  key_type: string | null;
  created_at: number;
  updated_at: number;
}

/** One row per (application, key type, key manager): the WSO2 "key mapping". */
export interface KeyMappingsTable {
  uuid: string;
  application_id: number;
  key_type: string;
  key_manager: string;
  consumer_key: string;
  mode: string;
  key_state: string;
  /** JSON array. */
  grant_types: string;
  callback_url: string;
  /** JSON object. */
  additional_properties: string;
  created_at: number;
  updated_at: number;
}

/** Client secrets of an OAuth client (migration 005); the secret itself is never stored. */
export interface OauthClientSecretsTable {
  secret_id: string;
  client_id: string;
  /** `sha256:` hash of the secret (key-manager/client-secret.ts). */
  secret_hash: string;
  /** Last 4 characters, to tell secrets apart in a masked list; empty for secrets created before 005. */
  secret_hint: string;
  description: string;
  created_at: number;
  /** Set at creation (`expiresIn`); null = never expires. */
  expires_at: number | null;
  /** Set when a regenerate with grace replaced this secret: the end of its grace. */
  grace_expires_at: number | null;
}

export interface RefreshTokensTable {
  /** SHA-256 of the refresh token. */
  token_hash: string;
  family_id: string;
  client_id: string;
  username: string;
  scope: string;
  expires_at: number | null;
  used_at: number | null;
  revoked: number;
  created_at: number;
}

/** Revoked access tokens and API keys, by jti; pruned after `expires_at`. */
export interface RevokedTokensTable {
  jti: string;
  token_type: string;
  /** Epoch ms when the token would have expired; null = never. */
  expires_at: number | null;
  revoked_at: number;
  consumer_key: string | null;
}

/**
 * Opaque access tokens of `OAUTH` applications (migration 006). The token itself is never stored: `token_hash` is
 * its HMAC-SHA-256 under the deployment's hash secret (base64url); `token_id` names it in the change log.
 */
export interface AccessTokensTable {
  token_id: string;
  token_hash: string;
  client_id: string;
  application_id: number;
  /** `PRODUCTION` | `SANDBOX` (the client's key type). */
  key_type: string;
  /** The token's subject: the application owner (client_credentials) or the resource owner. */
  username: string;
  /** `APPLICATION` | `APPLICATION_USER` (WSO2 `aut`). */
  aut: string;
  /** Space-separated granted scopes. */
  scope: string;
  issued_at: number;
  /** Epoch ms; null = never expires. */
  expires_at: number | null;
  revoked_at: number | null;
}

export interface ApisTable {
  id: string;
  name: string;
  context: string;
  version: string;
  provider: string;
  lifecycle: string;
  /** JSON: the Publisher API DTO (operations, endpointConfig, policies, securityScheme, ...). */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface ApiRevisionsTable {
  id: string;
  api_id: string;
  revision: number;
  description: string;
  /** JSON: the API DTO frozen at revision time. */
  definition: string;
  created_at: number;
}

export interface ApiDeploymentsTable {
  api_id: string;
  revision_id: string;
  environment: string;
  vhost: string;
  deployed_at: number;
  /** 1 when the Developer Portal shows this deployment's gateway URLs (WSO2 `displayOnDevportal`), else 0. */
  display_on_devportal: Generated<number>;
}

/** One lifecycle change of an API (WSO2 `AM_API_LC_EVENT`); `previous_state` is null for the creation. */
export interface ApiLifecycleEventsTable {
  id: string;
  api_id: string;
  /** 1, 2, ... in the order of the API's changes. */
  seq: number;
  previous_state: string | null;
  new_state: string;
  username: string;
  occurred_at: number;
}

export interface SubscriptionsTable {
  uuid: string;
  application_id: number;
  api_id: string;
  policy: string;
  requested_policy: string | null;
  status: string;
  created_at: number;
  updated_at: number;
}

export interface ThrottlingPoliciesTable {
  uuid: string;
  /** `subscription` | `application` | `api` (advanced). */
  level: string;
  name: string;
  /** JSON: the admin REST policy DTO. */
  definition: string;
  created_at: number;
  updated_at: number;
}

/** Metadata of every issued API key; the key value itself is never stored. */
export interface ApiKeysTable {
  jti: string;
  /** Owning application (application keys) or associated one (API-bound keys; null = none, migration 010). */
  application_id: number | null;
  key_type: string;
  name: string;
  kid: string;
  issued_at: number;
  expires_at: number | null;
  permitted_ip: string | null;
  permitted_referer: string | null;
  status: string;
  revoked_at: number | null;
  last_used_at: number | null;
  issued_by: string;
  /** `jwt` | `opaque` (migration 004). */
  format: string;
  /** HMAC-SHA-256 (base64url) of an opaque key under the server secret; null for JWT keys. */
  key_hash: string | null;
  /** Epoch ms until which a regenerated key still works; null when not rotating. */
  grace_expires_at: number | null;
  /** jti of the key that replaced this one at a regenerate. */
  replaced_by: string | null;
  /** The API an API-bound key is for (WSO2 4.7); null for application keys (migration 010). */
  api_id: string | null;
}

export interface KeyManagersTable {
  uuid: string;
  name: string;
  type: string;
  enabled: number;
  /** JSON: the admin REST key-manager DTO including connector secrets. */
  definition: string;
  created_at: number;
  updated_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
}

/** The transactional outbox: one row per committed change (see `ChangeRecord` in core). */
export interface ChangesTable {
  version: Generated<number>;
  kind: string;
  key: string;
  created_at: number;
}

/** Gateways that registered with a control plane, and the change version each last applied. */
export interface GatewaysTable {
  id: string;
  /** How the gateway says it can be reached (informational). */
  address: string;
  software_version: string;
  applied_version: number;
  /** When the gateway applied `applied_version` (its clock, epoch ms). */
  applied_at: number;
  /** `live` (from a control plane) or `cache` (its persisted snapshot). */
  source: string;
  started_at: number;
  last_seen_at: number;
}

/** Admin deny policies (WSO2 blocking conditions). */
export interface BlockingConditionsTable {
  uuid: string;
  /** `API` | `APPLICATION` | `IP` | `IPRANGE` | `USER`. */
  condition_type: string;
  /** Canonical value: the string itself, or canonical JSON for `IP` / `IPRANGE`. */
  condition_value: string;
  /** 0/1: WSO2 `conditionStatus`. */
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** Publisher shared scopes (migration 014). `bindings`: JSON array of role names. */
export interface SharedScopesTable {
  id: string;
  name: string;
  display_name: string;
  description: string;
  bindings: string;
  created_at: number;
  updated_at: number;
}

/** Admin system-scope role table (migration 014): roles an admin set for an `apim:*` scope (JSON array). */
export interface SystemScopeRolesTable {
  name: string;
  roles: string;
  updated_at: number;
}

/** Admin role aliases (migration 014): user-store roles (JSON array) treated as `role` for system scopes. */
export interface RoleAliasesTable {
  role: string;
  aliases: string;
  updated_at: number;
}

/** Leak reports of API keys (migration 009): the key by jti, never its value. */
export interface ApiKeyLeaksTable {
  uuid: string;
  /** `api_keys.jti` of the reported key (for a JWT key, also its `jti` claim). */
  key_jti: string;
  /** `applications.id` of the key's application; null when the key has no stored row. */
  application_id: number | null;
  /** The public-key identifier the report was signed with (who reported it). */
  reporter_key_id: string;
  /** The reporter's name for the token type (GitHub `type`). */
  token_type: string;
  /** Where the key was found (GitHub `url`). */
  url: string;
  /** What kind of place that is (GitHub `source`: `content`, `commit`, `npm`, ...; empty when not sent). */
  source: string;
  /** `revoked` | `marked`. */
  action: string;
  reported_at: number;
}

/**
 * The audit log (migration 011): one row per credential or access event. Append-only (an UPDATE trigger refuses
 * changes); never holds a key, token, secret, password or a hash of one.
 */
export interface AuditEventsTable {
  id: string;
  occurred_at: number;
  /** User name, OAuth client id, `anonymous` or `system`. */
  actor: string;
  client_ip: string | null;
  /** Dotted action name (`apikey.revoked`), see control-plane/audit/audit-actions.ts. */
  action: string;
  target_type: string;
  target_id: string;
  target_name: string | null;
  /** `success` | `failure`. */
  outcome: string;
  /** Why it failed (a stable code such as `wrong-password`); null on success. */
  reason: string | null;
  /** JSON object of small non-secret details (key type, grace period, tier...). */
  details: string;
}

/** Usage analytics (migration 013): one row per minute, API, application, key and status class. */
export interface UsageMinutesTable {
  /** Start of the minute, epoch ms. */
  minute: number;
  api_id: string;
  /** Application UUID; empty for callers without one. */
  application_id: string;
  /** `api-key` | `oauth2` | `none`. */
  key_kind: string;
  /** API-key jti or OAuth2 client id (never a key or secret); empty for `none`. */
  key_id: string;
  key_type: string;
  /** `2xx` | `4xx` | `5xx`. */
  status_class: string;
  api_name: string;
  api_version: string;
  application_name: string;
  count: number;
  /** Sparse latency histogram as JSON `[[bucket, count], ...]` (core/usage-histogram.ts). */
  latency: string;
}

/** Flush ids applied to `usage_minutes` (a retried flush is applied once). */
export interface UsageFlushesTable {
  flush_id: string;
  received_at: number;
}

/** Webhook endpoints an admin registered (migration 012). */
export interface WebhookEndpointsTable {
  id: string;
  url: string;
  description: string;
  /** JSON array of subscribed event types (`apikey.revoked`); empty = every type. */
  event_types: string;
  enabled: number;
  /** The HMAC signing secret (`whsec_...`): kept to sign with, never returned after create, never logged. */
  secret: string;
  /** Last 4 characters of the secret, to tell secrets apart. */
  secret_hint: string;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** The webhook outbox: one row per (event, endpoint), written with the change it reports (migration 012). */
export interface WebhookDeliveriesTable {
  id: string;
  /** The idempotency id receivers dedupe on: the same for every endpoint and every attempt. */
  event_id: string;
  event_type: string;
  endpoint_id: string;
  /** The JSON body sent (never a secret). */
  payload: string;
  /** `pending` | `succeeded` | `failed`. */
  status: string;
  attempts: number;
  /** Epoch ms the next attempt is due; null once succeeded or failed. */
  next_attempt_at: number | null;
  /** A control plane that claimed the row owns it until then. */
  lease_until: number | null;
  lease_owner: string | null;
  last_status_code: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
}

/** One HTTP attempt of a webhook delivery (migration 012). */
export interface WebhookAttemptsTable {
  delivery_id: string;
  attempt: number;
  started_at: number;
  duration_ms: number;
  /** Null when no answer came (refused, timeout, TLS failure). */
  status_code: number | null;
  error: string | null;
  /** The first few hundred characters of the answer's body. */
  response_excerpt: string | null;
}

/** Which (credential, threshold) an expiring event was enqueued for (migration 012). */
export interface WebhookExpiryNoticesTable {
  /** `api-key` | `client-secret`. */
  credential_type: string;
  credential_id: string;
  threshold_days: number;
  noticed_at: number;
}

export interface Database {
  users: UsersTable;
  applications: ApplicationsTable;
  oauth_clients: OauthClientsTable;
  oauth_client_secrets: OauthClientSecretsTable;
  key_mappings: KeyMappingsTable;
  refresh_tokens: RefreshTokensTable;
  revoked_tokens: RevokedTokensTable;
  access_tokens: AccessTokensTable;
  apis: ApisTable;
  api_revisions: ApiRevisionsTable;
  api_deployments: ApiDeploymentsTable;
  api_lifecycle_events: ApiLifecycleEventsTable;
  subscriptions: SubscriptionsTable;
  throttling_policies: ThrottlingPoliciesTable;
  api_keys: ApiKeysTable;
  api_key_leaks: ApiKeyLeaksTable;
  key_managers: KeyManagersTable;
  settings: SettingsTable;
  changes: ChangesTable;
  gateways: GatewaysTable;
  blocking_conditions: BlockingConditionsTable;
  audit_events: AuditEventsTable;
  usage_minutes: UsageMinutesTable;
  usage_flushes: UsageFlushesTable;
  shared_scopes: SharedScopesTable;
  system_scope_roles: SystemScopeRolesTable;
  role_aliases: RoleAliasesTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  webhook_expiry_notices: WebhookExpiryNoticesTable;
}
