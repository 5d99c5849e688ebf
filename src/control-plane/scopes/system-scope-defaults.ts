import { WSO2_SYSTEM_SCOPES } from './wso2-rest-scopes.generated.js';

const CREATOR = 'Internal/creator';
const PUBLISHER = 'Internal/publisher';
const SUBSCRIBER = 'Internal/subscriber';
// WSO2's other default roles (tenant-conf.json `DefaultRoles`): Portico creates none of them, but a custom role of
// that name (`[user_store] custom_roles`) or a role alias holds what WSO2 gives it.
const DEVOPS = 'Internal/devops';
const OBSERVER = 'Internal/observer';
const INTEGRATION_DEV = 'Internal/integration_dev';
const ANALYTICS = 'Internal/analytics';

/**
 * The roles of each system scope before an admin changes them (`PUT /system-scopes`): WSO2's defaults, as its
 * tenant-conf.json `RESTAPIScopes` lists them (carbon-apimgt `components/apimgt/org.wso2.carbon.apimgt.impl/
 * src/main/resources/tenant/tenant-conf.json`, 9.33.x), in its order. A scope not listed here (one only WSO2's
 * OpenAPI documents name) is held by `admin` only: a scope Portico does not know a default for fails closed.
 */
export const SCOPE_ROLES: Readonly<Record<string, readonly string[]>> = {
  'apim:api_publish': ['admin', PUBLISHER],
  'apim:api_create': ['admin', CREATOR],
  'apim:api_generate_key': ['admin', CREATOR, PUBLISHER],
  'apim:api_view': ['admin', PUBLISHER, CREATOR, ANALYTICS, OBSERVER],
  'apim:api_delete': ['admin', CREATOR],
  'apim:api_manage': ['admin'],
  'apim:subscribe': ['admin', SUBSCRIBER, DEVOPS],
  'apim:tier_view': ['admin', PUBLISHER, CREATOR],
  'apim:tier_manage': ['admin'],
  'apim:bl_view': ['admin'],
  'apim:bl_manage': ['admin'],
  'apim:subscription_view': ['admin', CREATOR, PUBLISHER],
  'apim:subscription_block': ['admin', PUBLISHER],
  'apim:subscription_manage': ['admin', PUBLISHER],
  'apim:mediation_policy_view': ['admin', CREATOR],
  'apim:mediation_policy_create': ['admin', CREATOR],
  'apim:api_mediation_policy_manage': ['admin', CREATOR],
  'apim:api_workflow_view': ['admin'],
  'apim:api_workflow_approve': ['admin'],
  'apim:admin': ['admin'],
  'apim:app_owner_change': ['admin'],
  'apim:app_settings_change': ['admin'],
  'apim:app_import_export': ['admin', DEVOPS],
  'apim:api_import_export': ['admin', DEVOPS],
  'apim:api_product_import_export': ['admin', DEVOPS],
  'apim:label_manage': ['admin'],
  'apim:label_read': ['admin'],
  'apim:app_update': ['admin', SUBSCRIBER],
  'apim:app_manage': ['admin', SUBSCRIBER, DEVOPS],
  'apim:sub_manage': ['admin', SUBSCRIBER, DEVOPS],
  'apim:monetization_usage_publish': ['admin', PUBLISHER],
  'apim:document_create': ['admin', CREATOR, PUBLISHER],
  'apim:ep_certificates_update': ['admin', CREATOR],
  'apim:client_certificates_update': ['admin', CREATOR],
  'apim:client_certificates_manage': ['admin', CREATOR],
  'apim:threat_protection_policy_manage': ['admin', CREATOR],
  'apim:document_manage': ['admin', CREATOR, PUBLISHER],
  'apim:client_certificates_add': ['admin', CREATOR],
  'apim:publisher_settings': ['admin', CREATOR, PUBLISHER, OBSERVER],
  'apim:store_settings': ['admin', SUBSCRIBER],
  'apim:admin_settings': ['admin'],
  'apim:client_certificates_view': ['admin', CREATOR],
  'apim:mediation_policy_manage': ['admin', CREATOR],
  'apim:threat_protection_policy_create': ['admin', CREATOR],
  'apim:ep_certificates_add': ['admin', CREATOR],
  'apim:ep_certificates_view': ['admin', CREATOR],
  'apim:ep_certificates_manage': ['admin', CREATOR],
  'apim:api_key': ['admin', SUBSCRIBER],
  'apim_analytics:admin': ['admin'],
  'apim_analytics:monitoring_dashboard:own': ['admin'],
  'apim_analytics:monitoring_dashboard:edit': ['admin'],
  'apim_analytics:monitoring_dashboard:view': ['admin', ANALYTICS],
  'apim_analytics:business_analytics:own': ['admin'],
  'apim_analytics:business_analytics:edit': ['admin'],
  'apim_analytics:business_analytics:view': ['admin', ANALYTICS],
  'apim_analytics:api_analytics:own': ['admin'],
  'apim_analytics:api_analytics:edit': ['admin'],
  'apim_analytics:api_analytics:view': ['admin', CREATOR, PUBLISHER],
  'apim_analytics:application_analytics:own': ['admin'],
  'apim_analytics:application_analytics:edit': ['admin'],
  'apim_analytics:application_analytics:view': ['admin', SUBSCRIBER],
  'apim:pub_alert_manage': ['admin', CREATOR],
  'apim:sub_alert_manage': ['admin', SUBSCRIBER],
  'apim:tenantInfo': ['admin'],
  'apim:tenant_theme_manage': ['admin'],
  'apim:admin_operations': ['admin'],
  'apim:keymanagers_manage': ['admin'],
  'apim:api_category': ['admin'],
  'apim:shared_scope_manage': ['admin'],
  'apim:admin_alert_manage': ['admin'],
  'apim:bot_data': ['admin'],
  'apim:scope_manage': ['admin'],
  'apim:role_manage': ['admin'],
  'apim:environment_manage': ['admin'],
  'apim:environment_read': ['admin'],
  'service_catalog:service_view': ['admin', CREATOR, PUBLISHER],
  'service_catalog:service_write': ['admin', CREATOR],
  'apim:comment_view': ['admin', CREATOR, PUBLISHER],
  'apim:comment_write': ['admin', CREATOR, PUBLISHER],
  'apim:comment_manage': ['admin', CREATOR, PUBLISHER],
  'apim:throttling_policy_manage': ['admin', PUBLISHER, CREATOR, ANALYTICS],
  'apim:admin_application_view': ['admin'],
  'apim:api_list_view': [INTEGRATION_DEV],
  'apim:api_definition_view': [INTEGRATION_DEV],
  'apim:common_operation_policy_view': ['admin', CREATOR, PUBLISHER, OBSERVER],
  'apim:common_operation_policy_manage': ['admin', CREATOR],
  'apim:policies_import_export': ['admin', DEVOPS],
  'apim:admin_tier_manage': ['admin'],
  'apim:admin_tier_view': ['admin'],
  'apim:api_provider_change': ['admin'],
  'apim:gateway_policy_manage': ['admin'],
  'apim:gateway_policy_view': ['admin', CREATOR, PUBLISHER, OBSERVER],
  'apim:llm_provider_manage': ['admin'],
  'apim:llm_provider_read': ['admin', PUBLISHER, CREATOR],
  'apim:gov_rule_manage': ['admin'],
  'apim:gov_rule_read': ['admin', PUBLISHER, CREATOR, OBSERVER],
  'apim:gov_result_read': ['admin', PUBLISHER, CREATOR, OBSERVER],
  'apim:gov_policy_manage': ['admin'],
  'apim:gov_policy_read': ['admin', PUBLISHER, CREATOR, OBSERVER],
  'apim:mcp_server_create': ['admin', CREATOR],
  'apim:mcp_server_manage': ['admin'],
  'apim:mcp_server_view': ['admin', PUBLISHER, CREATOR, ANALYTICS, OBSERVER],
  'apim:mcp_server_list_view': ['admin', INTEGRATION_DEV],
  'apim:mcp_server_import_export': ['admin', DEVOPS],
  'apim:mcp_server_publish': ['admin', PUBLISHER],
  'apim:mcp_server_delete': ['admin', CREATOR],
  'apim:mcp_server_generate_key': ['admin', CREATOR, PUBLISHER],
};

/** One system scope as Admin `GET /system-scopes` lists it. */
export interface SystemScope {
  readonly tag: string;
  readonly name: string;
  readonly description: string;
  readonly roles: readonly string[];
}

/** Every system scope with its default roles, by name. */
export function defaultSystemScopes(): SystemScope[] {
  const names = new Set([...Object.keys(WSO2_SYSTEM_SCOPES), ...Object.keys(SCOPE_ROLES)]);
  return [...names].sort().map((name) => ({
    tag: WSO2_SYSTEM_SCOPES[name]?.tag ?? 'admin',
    name,
    description: WSO2_SYSTEM_SCOPES[name]?.description ?? '',
    roles: SCOPE_ROLES[name] ?? ['admin'],
  }));
}

/** True for a system scope name (WSO2's documents declare it, or Portico has a default for it). */
export function isSystemScope(name: string): boolean {
  return Object.hasOwn(WSO2_SYSTEM_SCOPES, name) || Object.hasOwn(SCOPE_ROLES, name);
}
