import type { ProviderToken, TokenInput } from './key-manager-connector.js';
import { basicAuth, providerCall, ProviderError } from './provider-http.js';

/**
 * `grant_type=client_credentials` at a provider's token endpoint with `client_secret_basic`.
 * @throws ProviderError (`invalid_client` for wrong credentials, `unsupported` without a token endpoint)
 */
export async function clientCredentialsToken(
  tokenEndpoint: string,
  input: TokenInput,
  timeoutMs?: number,
): Promise<ProviderToken> {
  if (tokenEndpoint === '') throw new ProviderError('unsupported', 'The key manager has no token endpoint');
  const form: Record<string, string> = { grant_type: 'client_credentials' };
  if (input.scopes.length > 0) form.scope = input.scopes.join(' ');
  const body = (await providerCall('Token request', {
    method: 'POST',
    url: tokenEndpoint,
    headers: { authorization: basicAuth(input.clientId, input.clientSecret) },
    form,
    timeoutMs,
  })) as { access_token?: unknown; expires_in?: unknown; scope?: unknown } | null;
  if (typeof body?.access_token !== 'string' || body.access_token === '') {
    throw new ProviderError('failed', 'Token request: the provider answered without an access_token');
  }
  const scope = typeof body.scope === 'string' ? body.scope : input.scopes.join(' ');
  return {
    accessToken: body.access_token,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : 0,
    scopes: scope.split(' ').filter((s) => s !== ''),
  };
}

/**
 * RFC 7009 revocation of an access token at the provider, authenticated as the client.
 * @throws ProviderError
 */
export async function revokeAtProvider(
  revokeEndpoint: string,
  client: { clientId: string; clientSecret: string },
  token: string,
): Promise<void> {
  if (revokeEndpoint === '') throw new ProviderError('unsupported', 'The key manager has no revoke endpoint');
  await providerCall('Token revocation', {
    method: 'POST',
    url: revokeEndpoint,
    headers: { authorization: basicAuth(client.clientId, client.clientSecret) },
    form: { token, token_type_hint: 'access_token' },
  });
}
