import { clientCredentialsToken } from './client-credentials-token.js';
import type { ClientRegistrationInput, KeyManagerConnector } from './key-manager-connector.js';
import type { KeyManagerDefinition } from './key-manager-definition.js';
import { providerCall, ProviderError } from './provider-http.js';
import { clientFromResponse, registeredFromResponse, rfc7591Metadata } from './registration-body.js';

/**
 * The secret-rotation URL of an Okta client: the connector property `newSecretEndpoint` (a template with
 * `{clientId}`) or, by default, `<clientRegistrationEndpoint>/{clientId}/lifecycle/newSecret` (Okta's API).
 */
export function oktaNewSecretUrl(def: KeyManagerDefinition, clientId: string): string {
  const template =
    def.additionalProperties.newSecretEndpoint ||
    `${def.clientRegistrationEndpoint.replace(/\/+$/, '')}/{clientId}/lifecycle/newSecret`;
  return template.replace('{clientId}', encodeURIComponent(clientId));
}

/**
 * Connector for Okta's client API (`POST https://<org>.okta.com/oauth2/v1/clients` with `Authorization: SSWS
 * <apiKey>`): register, read, update, delete and rotate secrets. Okta's `application_type` defaults to `service`
 * (a machine-to-machine client) unless the application configuration names another.
 *
 * @example
 * const c = oktaConnector(definition); // definition.additionalProperties.apiKey = Okta API token
 * const secret = await c.regenerateSecret!(clientId);
 */
export function oktaConnector(def: KeyManagerDefinition): KeyManagerConnector {
  const base = def.clientRegistrationEndpoint.replace(/\/+$/, '');
  const auth = (): Record<string, string> => {
    const apiKey = def.additionalProperties.apiKey ?? '';
    if (base === '' || apiKey === '') {
      throw new ProviderError(
        'unsupported',
        `Key manager ${def.name} needs a client registration endpoint and an apiKey`,
      );
    }
    return { authorization: `SSWS ${apiKey}` };
  };
  const clientUrl = (id: string) => `${base}/${encodeURIComponent(id)}`;
  const oktaBody = (input: ClientRegistrationInput) => {
    const p = input.properties ?? {};
    return {
      ...rfc7591Metadata(input),
      application_type: typeof p.application_type === 'string' ? p.application_type : 'service',
    };
  };
  return {
    type: 'Okta',
    async registerClient(input) {
      const body = await providerCall('Okta client registration', {
        method: 'POST',
        url: base,
        headers: auth(),
        json: oktaBody(input),
      });
      return registeredFromResponse(body, input);
    },
    async retrieveClient(clientId) {
      try {
        return clientFromResponse(
          await providerCall('Okta client read', {
            method: 'GET',
            url: clientUrl(clientId),
            headers: auth(),
          }),
          null,
        );
      } catch (err) {
        if (err instanceof ProviderError && err.status === 404) return null;
        throw err;
      }
    },
    async updateClient(clientId, input) {
      const body = await providerCall('Okta client update', {
        method: 'PUT',
        url: clientUrl(clientId),
        headers: auth(),
        json: { ...oktaBody(input), client_id: clientId },
      });
      return clientFromResponse(body, input);
    },
    async deleteClient(clientId) {
      try {
        await providerCall('Okta client delete', {
          method: 'DELETE',
          url: clientUrl(clientId),
          headers: auth(),
        });
      } catch (err) {
        // Already gone at Okta: the mapping can still be removed.
        if (!(err instanceof ProviderError && err.status === 404)) throw err;
      }
    },
    async regenerateSecret(clientId) {
      const body = (await providerCall('Okta secret rotation', {
        method: 'POST',
        url: oktaNewSecretUrl(def, clientId),
        headers: auth(),
      })) as { client_secret?: unknown } | null;
      if (typeof body?.client_secret !== 'string' || body.client_secret === '') {
        throw new ProviderError(
          'failed',
          'Okta secret rotation: the provider answered without a client_secret',
        );
      }
      return body.client_secret;
    },
    getToken: (input) => clientCredentialsToken(def.tokenEndpoint, input),
  };
}
