import type { KeyMappingRow } from '../../../store/index.js';

/** WSO2 `ApplicationToken`. */
export interface ApplicationTokenDto {
  accessToken: string;
  tokenScopes: string[];
  validityTime: number;
}

/**
 * WSO2 `ApplicationKey` (Developer Portal v3). `consumerSecret` only when it is being handed over (generation,
 * mapping); `token` only when one was just issued. Wire contract.
 */
export function applicationKeyDto(
  m: KeyMappingRow,
  extra: { consumerSecret?: string; token?: ApplicationTokenDto | null } = {},
) {
  return {
    keyMappingId: m.uuid,
    keyManager: m.key_manager,
    consumerKey: m.consumer_key,
    ...(extra.consumerSecret !== undefined ? { consumerSecret: extra.consumerSecret } : {}),
    supportedGrantTypes: JSON.parse(m.grant_types) as string[],
    callbackUrl: m.callback_url || null,
    keyState: m.key_state,
    keyType: m.key_type,
    mode: m.mode,
    groupId: null,
    ...(extra.token !== undefined ? { token: extra.token } : {}),
    additionalProperties: JSON.parse(m.additional_properties) as Record<string, unknown>,
  };
}
