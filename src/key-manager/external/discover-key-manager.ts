import {
  defaultConsumerKeyClaim,
  defaultScopesClaim,
  type KeyManagerDefinition,
  type KeyManagerType,
} from './key-manager-definition.js';
import { providerCall, ProviderError } from './provider-http.js';

/** What discovery fills in: a definition without id, name and connector secrets. */
export type DiscoveredKeyManager = Omit<KeyManagerDefinition, 'id' | 'name' | 'displayName'>;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Fetches an OpenID Provider's metadata (`.well-known/openid-configuration`) and maps it to a key manager
 * definition, like WSO2's "Import" in the Admin Portal. Okta's client API is at the org level
 * (`<origin>/oauth2/v1/clients`) whatever the authorization server. Nothing is stored.
 * @throws ProviderError `unreachable`, `rejected`/`failed` (HTTP), `failed` when the document has no issuer
 */
export async function discoverKeyManager(
  wellKnownUrl: string,
  type: KeyManagerType,
): Promise<DiscoveredKeyManager> {
  const m = (await providerCall('Discovery', { method: 'GET', url: wellKnownUrl })) as Record<
    string,
    unknown
  > | null;
  const issuer = str(m?.issuer);
  if (m === null || issuer === '') {
    throw new ProviderError('failed', 'Discovery: the document has no issuer');
  }
  const grants = Array.isArray(m.grant_types_supported)
    ? m.grant_types_supported.filter((g): g is string => typeof g === 'string')
    : ['authorization_code', 'implicit'];
  let registration = str(m.registration_endpoint);
  if (type === 'Okta') {
    try {
      registration = `${new URL(issuer).origin}/oauth2/v1/clients`;
    } catch {
      // keep the advertised endpoint
    }
  }
  const jwksUri = str(m.jwks_uri);
  return {
    type,
    description: '',
    enabled: true,
    issuer,
    wellKnownEndpoint: wellKnownUrl,
    clientRegistrationEndpoint: registration,
    introspectionEndpoint: str(m.introspection_endpoint),
    tokenEndpoint: str(m.token_endpoint),
    revokeEndpoint: str(m.revocation_endpoint),
    userInfoEndpoint: str(m.userinfo_endpoint),
    authorizeEndpoint: str(m.authorization_endpoint),
    certificates: { type: 'JWKS', value: jwksUri },
    additionalProperties: {},
    claimMapping: [],
    consumerKeyClaim: defaultConsumerKeyClaim(type),
    scopesClaim: defaultScopesClaim(type),
    availableGrantTypes: grants,
    tokenValidationMethod: jwksUri !== '' ? 'jwks' : 'introspection',
    enableTokenGeneration: true,
    enableOAuthAppCreation: true,
    enableMapOAuthConsumerApps: true,
    permissions: { permissionType: 'PUBLIC', roles: [] },
  };
}
