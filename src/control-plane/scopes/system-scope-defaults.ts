import { WSO2_SYSTEM_SCOPES } from './wso2-rest-scopes.generated.js';

const CREATOR = 'Internal/creator';
const PUBLISHER = 'Internal/publisher';
const SUBSCRIBER = 'Internal/subscriber';

/**
 * The roles of each system scope before an admin changes them (`PUT /system-scopes`), in WSO2's role names
 * (tenant-conf.json `RESTAPIScopes`). A scope not listed here is held by `admin` only: a scope Portico does not
 * know a default for fails closed.
 */
export const SCOPE_ROLES: Readonly<Record<string, readonly string[]>> = {
  'apim:subscribe': ['admin', SUBSCRIBER],
  'apim:app_manage': ['admin', SUBSCRIBER],
  'apim:sub_manage': ['admin', SUBSCRIBER],
  'apim:api_key': ['admin', SUBSCRIBER],
  'apim:store_settings': ['admin', SUBSCRIBER],
  'apim:app_import_export': ['admin'],
  'apim:api_view': ['admin', CREATOR, PUBLISHER],
  'apim:api_list_view': ['admin', CREATOR, PUBLISHER],
  'apim:api_definition_view': ['admin', CREATOR, PUBLISHER],
  'apim:api_create': ['admin', CREATOR],
  'apim:api_delete': ['admin', CREATOR],
  'apim:api_publish': ['admin', PUBLISHER],
  'apim:api_generate_key': ['admin', CREATOR, PUBLISHER],
  'apim:shared_scope_manage': ['admin', CREATOR],
  'apim:document_create': ['admin', CREATOR, PUBLISHER],
  'apim:publisher_settings': ['admin', CREATOR, PUBLISHER],
  'apim:subscription_view': ['admin', CREATOR, PUBLISHER],
  'apim:subscription_block': ['admin', PUBLISHER],
  'apim:tier_view': ['admin', CREATOR, PUBLISHER],
  'apim:api_manage': ['admin'],
  'apim:subscription_manage': ['admin'],
  'apim:api_import_export': ['admin'],
  'apim:admin': ['admin'],
  'apim:admin_operations': ['admin'],
  'apim:tier_manage': ['admin'],
  'apim:admin_tier_view': ['admin'],
  'apim:admin_tier_manage': ['admin'],
  'apim:keymanagers_manage': ['admin'],
  'apim:bl_manage': ['admin'],
  'apim:bl_view': ['admin'],
  'apim:scope_manage': ['admin'],
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
