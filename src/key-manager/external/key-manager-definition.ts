import type { JsonWebKeyPublic, SnapshotKeyManager } from '../../core/index.js';

/** Connector types of external key managers. */
export const KEY_MANAGER_TYPES = ['Okta', 'Keycloak', 'OIDC'] as const;
export type KeyManagerType = (typeof KEY_MANAGER_TYPES)[number];

/** Connector properties that are secrets: stored, never returned by the REST API. */
export const SECRET_PROPERTIES = ['apiKey', 'client_secret', 'initial_access_token'] as const;

export type PermissionType = 'PUBLIC' | 'ALLOW' | 'DENY';

/**
 * An external key manager as stored in `key_managers.definition` (the admin v4 `KeyManager` DTO, simplified),
 * secrets included. Wire contract of the admin REST API: change docs and tests together.
 */
export interface KeyManagerDefinition {
  id: string;
  name: string;
  displayName: string;
  type: KeyManagerType;
  description: string;
  enabled: boolean;
  issuer: string;
  wellKnownEndpoint: string;
  clientRegistrationEndpoint: string;
  introspectionEndpoint: string;
  tokenEndpoint: string;
  revokeEndpoint: string;
  userInfoEndpoint: string;
  authorizeEndpoint: string;
  certificates: { type: 'JWKS'; value: string };
  /** Connector config: Okta `apiKey`, `client_id`, `client_secret`; Keycloak `client_id`, `client_secret`, `initial_access_token`. */
  additionalProperties: Record<string, string>;
  claimMapping: { remoteClaim: string; localClaim: string }[];
  consumerKeyClaim: string;
  scopesClaim: string;
  availableGrantTypes: string[];
  tokenValidationMethod: 'jwks' | 'introspection';
  enableTokenGeneration: boolean;
  enableOAuthAppCreation: boolean;
  enableMapOAuthConsumerApps: boolean;
  permissions: { permissionType: PermissionType; roles: string[] };
  /**
   * WSO2 `tokenType`. The Admin API accepts only DIRECT (absent = DIRECT); an older version stored EXCHANGED or BOTH
   * as sent: such a row still reads, an update keeping the value is refused, and an EXCHANGED one is kept off the
   * gateways (control-plane/snapshot/snapshot-entities.ts).
   */
  tokenType?: 'DIRECT' | 'EXCHANGED' | 'BOTH';
  /** WSO2 `alias` of the identity provider of token exchange; stored and returned, without effect with DIRECT. */
  alias?: string;
  /** WSO2 `global` (shared by every tenant); stored and returned: Portico has one tenant, true and false are alike. */
  global?: boolean;
  /** WSO2 `tokenValidation` entries; only disabled ones are accepted now (stored and returned). */
  tokenValidation?: { id?: number; enable: boolean; type: 'REFERENCE' | 'JWT' | 'CUSTOM'; value: unknown }[];
}

/** Default consumer-key claim of a connector type (Okta `cid`, Keycloak `azp`, generic `client_id`). */
export function defaultConsumerKeyClaim(type: KeyManagerType): string {
  return type === 'Okta' ? 'cid' : type === 'Keycloak' ? 'azp' : 'client_id';
}

/** Default scopes claim of a connector type (Okta `scp`, others `scope`). */
export function defaultScopesClaim(type: KeyManagerType): string {
  return type === 'Okta' ? 'scp' : 'scope';
}

/** The JWKS URL of a definition, or null when none is configured. */
export function jwksUriOf(def: KeyManagerDefinition): string | null {
  return def.certificates.value === '' ? null : def.certificates.value;
}

/**
 * The gateway's view of an external key manager (wire contract: src/core/snapshot.ts). Introspection credentials
 * are the connector's `client_id`/`client_secret` when both are set.
 */
export function toSnapshotKeyManager(
  def: KeyManagerDefinition,
  jwks: readonly JsonWebKeyPublic[],
): SnapshotKeyManager {
  const clientId = def.additionalProperties.client_id ?? '';
  const clientSecret = def.additionalProperties.client_secret ?? '';
  return {
    name: def.name,
    type: def.type,
    issuer: def.issuer,
    enabled: def.enabled,
    consumerKeyClaim: def.consumerKeyClaim,
    scopesClaim: def.scopesClaim,
    validation: def.tokenValidationMethod,
    jwks,
    jwksUri: jwksUriOf(def),
    introspectionEndpoint: def.introspectionEndpoint === '' ? null : def.introspectionEndpoint,
    introspectionAuth: clientId !== '' && clientSecret !== '' ? { clientId, clientSecret } : null,
  };
}

/** Parses a stored definition; null when the JSON is unreadable (logged by the caller, never fatal). */
export function parseDefinition(json: string): KeyManagerDefinition | null {
  try {
    const d = JSON.parse(json) as KeyManagerDefinition;
    return d && typeof d === 'object' && typeof d.name === 'string' ? d : null;
  } catch {
    return null;
  }
}

/** Whether a user with `roles` may use a key manager (`permissions`: PUBLIC, ALLOW-listed or not DENY-listed). */
export function keyManagerAllows(def: KeyManagerDefinition, roles: readonly string[]): boolean {
  const { permissionType, roles: listed } = def.permissions;
  if (permissionType === 'PUBLIC') return true;
  const hit = roles.some((r) => listed.includes(r));
  return permissionType === 'ALLOW' ? hit : !hit;
}
