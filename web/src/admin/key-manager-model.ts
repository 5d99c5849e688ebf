import { ADM, api } from '../lib/api';

/** The admin REST base of key managers. */
export const KMS = `${ADM}/key-managers`;

/** What the admin REST API sends in place of a stored connector secret (and what a PUT sends to keep it). */
export const SECRET_MASK = '********';

/** Connector types an administrator can add (the Resident Key Manager is configured in deployment.toml). */
export const KM_TYPES = [
  { value: 'Keycloak', label: 'Keycloak' },
  { value: 'Okta', label: 'Okta' },
  { value: 'OIDC', label: 'Other OpenID Connect provider' },
] as const;

/** One connector property of a type's form: `secret` ones are masked on read back and typed as passwords. */
export interface ConnectorField {
  key: string;
  label: string;
  secret?: boolean;
  hint?: string;
}

/** The connector properties each type reads (docs/external-key-managers.md). */
export function connectorFields(type: string): ConnectorField[] {
  if (type === 'Okta') {
    return [
      {
        key: 'OktaInstanceUrl',
        label: 'Okta instance URL',
        hint: 'e.g. https://dev-123.okta.com: the client registration endpoint defaults to <instance>/oauth2/v1/clients.',
      },
      { key: 'apiKey', label: 'Okta API token', secret: true, hint: 'Sent as Authorization: SSWS <token>.' },
      { key: 'client_id', label: 'Client ID', hint: 'An API Services application, for introspection.' },
      { key: 'client_secret', label: 'Client secret', secret: true },
    ];
  }
  return [
    {
      key: 'client_id',
      label: 'Client ID',
      hint: 'A confidential client whose service account may register clients.',
    },
    { key: 'client_secret', label: 'Client secret', secret: true },
    {
      key: 'initial_access_token',
      label: 'Initial access token',
      secret: true,
      hint: 'Used for client registration instead of the client credentials when set.',
    },
  ];
}

/** Every connector secret of any type (the server masks these). */
const TYPED_SECRETS = new Set(['apiKey', 'client_secret', 'initial_access_token']);

/** The admin v4 `KeyManager` DTO, as far as the form edits it. */
export interface KeyManagerDto {
  id: string;
  name: string;
  displayName: string;
  type: string;
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
  certificates: { type: string; value: string };
  additionalProperties: Record<string, string>;
  consumerKeyClaim: string;
  scopesClaim: string;
  availableGrantTypes: string[];
  tokenValidationMethod: 'jwks' | 'introspection';
  tokenType: string;
  [other: string]: unknown;
}

/** The form's state: every field a string or a boolean, secrets typed anew (empty: keep what is stored). */
export interface KeyManagerForm {
  type: string;
  name: string;
  displayName: string;
  description: string;
  enabled: boolean;
  issuer: string;
  wellKnownEndpoint: string;
  clientRegistrationEndpoint: string;
  tokenEndpoint: string;
  revokeEndpoint: string;
  introspectionEndpoint: string;
  userInfoEndpoint: string;
  authorizeEndpoint: string;
  jwksUri: string;
  consumerKeyClaim: string;
  scopesClaim: string;
  grantTypes: string;
  tokenValidationMethod: string;
  tokenType: string;
  props: Record<string, string>;
}

/** The endpoint fields, in the order WSO2's Admin portal shows them. */
export const ENDPOINT_FIELDS = [
  ['clientRegistrationEndpoint', 'Client registration endpoint'],
  ['tokenEndpoint', 'Token endpoint'],
  ['revokeEndpoint', 'Revoke endpoint'],
  ['introspectionEndpoint', 'Introspection endpoint'],
  ['userInfoEndpoint', 'Userinfo endpoint'],
  ['authorizeEndpoint', 'Authorize endpoint'],
  ['jwksUri', 'JWKS endpoint (certificates)'],
] as const;

/** An empty form for a new key manager of `type`. */
export function emptyForm(type = 'Keycloak'): KeyManagerForm {
  return {
    type,
    name: '',
    displayName: '',
    description: '',
    enabled: true,
    issuer: '',
    wellKnownEndpoint: '',
    clientRegistrationEndpoint: '',
    tokenEndpoint: '',
    revokeEndpoint: '',
    introspectionEndpoint: '',
    userInfoEndpoint: '',
    authorizeEndpoint: '',
    jwksUri: '',
    consumerKeyClaim: '',
    scopesClaim: '',
    grantTypes: 'client_credentials',
    tokenValidationMethod: 'jwks',
    tokenType: 'DIRECT',
    props: {},
  };
}

/**
 * The form filled from a DTO (a stored key manager, or what discovery found): names, type, enabled and typed
 * connector values of `keep` stay as they are; masked secrets become empty inputs.
 */
export function formFrom(dto: Partial<KeyManagerDto>, keep?: KeyManagerForm): KeyManagerForm {
  const base = keep ?? emptyForm(dto.type);
  const props: Record<string, string> = { ...base.props };
  for (const [k, v] of Object.entries(dto.additionalProperties ?? {})) {
    if (v !== SECRET_MASK && !(k in props)) props[k] = v;
  }
  return {
    ...base,
    ...(keep
      ? {}
      : {
          name: dto.name ?? '',
          displayName: dto.displayName ?? '',
          description: dto.description ?? '',
          enabled: dto.enabled ?? true,
        }),
    issuer: dto.issuer ?? '',
    wellKnownEndpoint: dto.wellKnownEndpoint || base.wellKnownEndpoint,
    clientRegistrationEndpoint: dto.clientRegistrationEndpoint ?? '',
    tokenEndpoint: dto.tokenEndpoint ?? '',
    revokeEndpoint: dto.revokeEndpoint ?? '',
    introspectionEndpoint: dto.introspectionEndpoint ?? '',
    userInfoEndpoint: dto.userInfoEndpoint ?? '',
    authorizeEndpoint: dto.authorizeEndpoint ?? '',
    jwksUri: dto.certificates?.value ?? '',
    consumerKeyClaim: dto.consumerKeyClaim ?? '',
    scopesClaim: dto.scopesClaim ?? '',
    grantTypes: (dto.availableGrantTypes ?? []).join(' '),
    tokenValidationMethod: dto.tokenValidationMethod ?? 'jwks',
    tokenType: dto.tokenType ?? base.tokenType,
    props,
  };
}

/** The names of the secrets a stored DTO has (they come back as the mask). */
export function storedSecrets(dto: Partial<KeyManagerDto> | null | undefined): Set<string> {
  const props = dto?.additionalProperties ?? {};
  return new Set(Object.keys(props).filter((k) => props[k] === SECRET_MASK));
}

/**
 * The request body of a form: `stored` is the DTO being edited (its other fields are sent back unchanged); an
 * empty secret input sends the mask when a secret is stored, so the server keeps it.
 */
export function bodyOf(f: KeyManagerForm, stored: KeyManagerDto | null): Record<string, unknown> {
  const secrets = storedSecrets(stored);
  const shown = new Set(connectorFields(f.type).map((c) => c.key));
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(f.props)) {
    // A secret typed under another type, then hidden by a change of type, is not sent.
    if (v.trim() !== '' && (shown.has(k) || !TYPED_SECRETS.has(k))) props[k] = v.trim();
  }
  for (const s of secrets) if (!(s in props)) props[s] = SECRET_MASK;
  const grants = f.grantTypes.split(/[\s,]+/).filter((g) => g !== '');
  const instance = f.type === 'Okta' ? (props.OktaInstanceUrl ?? '').replace(/\/+$/, '') : '';
  const registration =
    f.clientRegistrationEndpoint.trim() || (instance ? `${instance}/oauth2/v1/clients` : '');
  return {
    ...(stored ?? {}),
    name: f.name.trim(),
    displayName: f.displayName.trim() || f.name.trim(),
    type: f.type,
    description: f.description,
    enabled: f.enabled,
    issuer: f.issuer.trim(),
    wellKnownEndpoint: f.wellKnownEndpoint.trim(),
    clientRegistrationEndpoint: registration,
    tokenEndpoint: f.tokenEndpoint.trim(),
    revokeEndpoint: f.revokeEndpoint.trim(),
    introspectionEndpoint: f.introspectionEndpoint.trim(),
    userInfoEndpoint: f.userInfoEndpoint.trim(),
    authorizeEndpoint: f.authorizeEndpoint.trim(),
    certificates: { type: 'JWKS', value: f.jwksUri.trim() },
    additionalProperties: props,
    ...(f.consumerKeyClaim.trim() ? { consumerKeyClaim: f.consumerKeyClaim.trim() } : {}),
    ...(f.scopesClaim.trim() ? { scopesClaim: f.scopesClaim.trim() } : {}),
    availableGrantTypes: grants,
    tokenValidationMethod: f.tokenValidationMethod,
    tokenType: f.tokenType,
  };
}

/** `GET /key-managers/{id}/health` (the JWKS refresh state of an external key manager). */
export interface KeyManagerHealth {
  status: 'OK' | 'FAILING' | 'PENDING' | 'DISABLED' | 'NOT_CONFIGURED' | 'NOT_RUNNING';
  error: string | null;
}

/** The health of one key manager, or null when it cannot be read (shown as unknown, not as a page error). */
export async function loadHealth(id: string): Promise<KeyManagerHealth | null> {
  try {
    return await api<KeyManagerHealth>('GET', `${KMS}/${encodeURIComponent(id)}/health`);
  } catch {
    return null;
  }
}

/** `POST /key-managers/{id}/test` (Portico extension): what worked and what did not. */
export interface ConnectionCheck {
  id: string;
  name: string;
  ok: boolean;
  steps: { check: string; status: 'OK' | 'FAILED' | 'SKIPPED'; detail: string }[];
}

/** Runs the connection check of a saved key manager. */
export function testConnection(id: string): Promise<ConnectionCheck> {
  return api<ConnectionCheck>('POST', `${KMS}/${encodeURIComponent(id)}/test`);
}
