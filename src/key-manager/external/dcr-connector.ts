import { clientCredentialsToken } from './client-credentials-token.js';
import type { KeyManagerConnector } from './key-manager-connector.js';
import type { KeyManagerDefinition } from './key-manager-definition.js';
import { providerCall, ProviderError } from './provider-http.js';
import { registeredFromResponse, rfc7591Metadata } from './registration-body.js';

/**
 * Connector for Keycloak and any OpenID Connect provider with RFC 7591 dynamic client registration at
 * `clientRegistrationEndpoint`. The registration call carries `Authorization: Bearer <initial_access_token>` when
 * one is configured, else a token obtained by client_credentials with the connector's `client_id`/`client_secret`
 * (Keycloak's service-account way), else nothing (open registration). Secret regeneration, read, update and
 * delete are not offered: RFC 7592 needs the per-client registration access token, which Portico does not keep,
 * and Keycloak's connector in WSO2 does not regenerate secrets either (wso2-compat.md §5.6).
 *
 * @example
 * const c = dcrConnector(definition);
 * const { clientId, clientSecret } = await c.registerClient({ name: 'admin_App_PRODUCTION', grantTypes: ['client_credentials'], callbackUrl: '' });
 */
export function dcrConnector(def: KeyManagerDefinition): KeyManagerConnector {
  const props = def.additionalProperties;
  const registrationAuth = async (): Promise<Record<string, string>> => {
    const iat = props.initial_access_token ?? '';
    if (iat !== '') return { authorization: `Bearer ${iat}` };
    const id = props.client_id ?? '';
    const secret = props.client_secret ?? '';
    if (id !== '' && secret !== '') {
      const t = await clientCredentialsToken(def.tokenEndpoint, {
        clientId: id,
        clientSecret: secret,
        scopes: [],
      });
      return { authorization: `Bearer ${t.accessToken}` };
    }
    return {};
  };
  return {
    type: def.type,
    async registerClient(input) {
      if (def.clientRegistrationEndpoint === '') {
        throw new ProviderError('unsupported', `Key manager ${def.name} has no client registration endpoint`);
      }
      const body = await providerCall('Client registration', {
        method: 'POST',
        url: def.clientRegistrationEndpoint,
        headers: await registrationAuth(),
        json: rfc7591Metadata(input),
      });
      return registeredFromResponse(body, input);
    },
    getToken: (input) => clientCredentialsToken(def.tokenEndpoint, input),
  };
}
