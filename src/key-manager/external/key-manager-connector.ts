import type { KeyManagerType } from './key-manager-definition.js';

/** What the Developer Portal asks a provider to register for an application's keys. */
export interface ClientRegistrationInput {
  /** Client name shown at the provider (`<owner>_<application>_<keyType>`). */
  name: string;
  grantTypes: readonly string[];
  /** Redirect URI; empty for none. */
  callbackUrl: string;
  /** Devportal application configuration (`application_type`, `response_types`, `token_endpoint_auth_method`). */
  properties?: Readonly<Record<string, unknown>>;
}

/** A client as the provider reports it (no secret). */
export interface ProviderClient {
  clientId: string;
  name: string;
  grantTypes: string[];
  callbackUrl: string;
}

/** A freshly registered client: the secret is shown once and never stored by Portico. */
export interface RegisteredClient extends ProviderClient {
  clientSecret: string;
}

export interface TokenInput {
  clientId: string;
  clientSecret: string;
  scopes: readonly string[];
  /** Requested validity in seconds; providers decide themselves (Okta, Keycloak ignore it). */
  validityPeriod?: number;
}

/** An access token from the provider's token endpoint. */
export interface ProviderToken {
  accessToken: string;
  expiresIn: number;
  scopes: string[];
}

/**
 * Control-plane operations on an external key manager's clients (WSO2's `KeyManagerConnector`). Optional
 * operations are absent when the provider cannot do them; callers answer UNSUPPORTED_OPERATION.
 * Every method throws ProviderError on failure (never with a secret in the message).
 */
export interface KeyManagerConnector {
  readonly type: KeyManagerType;
  registerClient(input: ClientRegistrationInput): Promise<RegisteredClient>;
  retrieveClient?(clientId: string): Promise<ProviderClient | null>;
  updateClient?(clientId: string, input: ClientRegistrationInput): Promise<ProviderClient>;
  deleteClient?(clientId: string): Promise<void>;
  /** A new secret for the client (the old one stops working). */
  regenerateSecret?(clientId: string): Promise<string>;
  /** A client_credentials token from the provider's token endpoint. */
  getToken(input: TokenInput): Promise<ProviderToken>;
}
