import type { KeyManager } from './types';

/** What the Developer Portal may offer for keys of one key manager. */
export interface KeyManagerCapabilities {
  /** Regenerate the consumer secret at all. */
  regenerateSecret: boolean;
  /** Keep the old secret working for a grace period while regenerating. */
  regenerateWithGrace: boolean;
  /** Several client secrets per key (`generate-secret`, `secrets`, `revoke-secret`). */
  multipleSecrets: boolean;
  /** Portico knows the scopes a token may ask for (those of the subscribed APIs); else they are free text. */
  listsScopes: boolean;
}

/**
 * Capabilities of a key manager, derived from its `type`: WSO2's `KeyManagerInfo` carries no capability flags.
 * The resident key manager (`default`) can do everything; Okta's client API can regenerate a secret (without
 * grace); Keycloak and other OIDC providers (RFC 7591 registration) cannot regenerate, and none of the external
 * ones hold several secrets or have scopes Portico can list. Mirrors the connectors in
 * `src/key-manager/external/` (a connector without `regenerateSecret` answers UNSUPPORTED_OPERATION).
 */
export function keyManagerCapabilities(km: Pick<KeyManager, 'type'>): KeyManagerCapabilities {
  const resident = km.type === 'default';
  return {
    regenerateSecret: resident || km.type === 'Okta',
    regenerateWithGrace: resident,
    multipleSecrets: resident,
    listsScopes: resident,
  };
}
