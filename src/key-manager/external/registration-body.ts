import type { ClientRegistrationInput, ProviderClient, RegisteredClient } from './key-manager-connector.js';
import { ProviderError } from './provider-http.js';

const STRING_LIST = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.every((x) => typeof x === 'string') ? (v as string[]) : undefined;

/**
 * RFC 7591 client metadata for a registration. `response_types` follow the grants unless the application
 * configuration names them (`code` for authorization_code, `token` for implicit, none otherwise).
 */
export function rfc7591Metadata(input: ClientRegistrationInput): Record<string, unknown> {
  const p = input.properties ?? {};
  const grants = [...input.grantTypes];
  const derived: string[] = [];
  if (grants.includes('authorization_code')) derived.push('code');
  if (grants.includes('implicit')) derived.push('token');
  const responseTypes =
    STRING_LIST(p.response_types) ?? (typeof p.response_types === 'string' ? [p.response_types] : derived);
  return {
    client_name: input.name,
    grant_types: grants,
    redirect_uris: input.callbackUrl === '' ? [] : [input.callbackUrl],
    response_types: responseTypes,
    token_endpoint_auth_method:
      typeof p.token_endpoint_auth_method === 'string' ? p.token_endpoint_auth_method : 'client_secret_basic',
  };
}

/** Reads a client from an RFC 7591 (or Okta) response. @throws ProviderError `failed` when it has no client_id */
export function clientFromResponse(body: unknown, fallback: ClientRegistrationInput | null): ProviderClient {
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b.client_id !== 'string' || b.client_id === '') {
    throw new ProviderError('failed', 'Client registration: the provider answered without a client_id');
  }
  const redirects = STRING_LIST(b.redirect_uris) ?? [];
  return {
    clientId: b.client_id,
    name: typeof b.client_name === 'string' ? b.client_name : (fallback?.name ?? ''),
    grantTypes: STRING_LIST(b.grant_types) ?? [...(fallback?.grantTypes ?? [])],
    callbackUrl: redirects[0] ?? fallback?.callbackUrl ?? '',
  };
}

/** Reads a registered client with its secret. @throws ProviderError `failed` when the secret is missing */
export function registeredFromResponse(body: unknown, input: ClientRegistrationInput): RegisteredClient {
  const client = clientFromResponse(body, input);
  const secret = (body as Record<string, unknown>).client_secret;
  if (typeof secret !== 'string' || secret === '') {
    throw new ProviderError('failed', 'Client registration: the provider answered without a client_secret');
  }
  return { ...client, clientSecret: secret };
}
