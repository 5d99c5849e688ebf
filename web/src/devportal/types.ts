/** Developer Portal v3 shapes the UI reads (subset of WSO2's DTOs). */
export interface ApiInfo {
  id: string;
  name: string;
  version: string;
  context: string;
  description: string;
  provider: string;
  lifeCycleStatus: string;
  throttlingPolicies?: string[];
  tags?: string[];
}

export interface ApiOperation {
  id: string;
  target: string;
  verb: string;
  scopes: string[];
}

export interface ApiDetail extends ApiInfo {
  operations: ApiOperation[];
  securityScheme: string[];
  apiKeyHeader: string;
  authorizationHeader: string;
  transport: string[];
  tiers: { tierName: string; tierPlan: string }[];
  endpointURLs: { environmentName: string; URLs: { http: string | null; https: string | null } }[];
  scopes: { key: string; name: string; description: string }[];
}

export interface Application {
  applicationId: string;
  name: string;
  throttlingPolicy: string;
  description: string | null;
  status: string;
  subscriptionCount: number;
  owner: string;
}

export interface ApplicationToken {
  accessToken: string;
  tokenScopes: string[];
  validityTime: number;
}

export interface ApplicationKey {
  keyMappingId: string;
  keyManager: string;
  consumerKey: string;
  consumerSecret?: string;
  supportedGrantTypes: string[];
  callbackUrl: string | null;
  keyState: string;
  keyType: 'PRODUCTION' | 'SANDBOX';
  mode: string;
  token?: ApplicationToken | null;
}

export interface KeyManager {
  id: string;
  name: string;
  displayName?: string;
  type: string;
  enabled: boolean;
  availableGrantTypes: string[];
  enableTokenGeneration?: boolean;
}

export interface Subscription {
  subscriptionId: string;
  applicationId: string;
  apiId: string;
  apiInfo: Partial<ApiInfo> & { id: string };
  applicationInfo?: { applicationId: string; name: string };
  throttlingPolicy: string;
  status: string;
}

export interface Policy {
  name: string;
  displayName?: string;
  description: string;
}

export interface IssuedApiKey {
  keyId: string;
  keyName: string | null;
  keyType: 'PRODUCTION' | 'SANDBOX';
  issuedTime: number | null;
  expiryTime: number | null;
  validityPeriod: number;
  permittedIP: string | null;
  permittedReferer: string | null;
  /** ACTIVE, ROTATING (replaced, works until `graceExpiresAt`), REVOKED or EXPIRED. */
  status: string;
  lastUsedTime: number | null;
  format: 'jwt' | 'opaque';
  graceExpiresAt: number | null;
  /** True once a secret scanner reported the key (docs/secret-scanning.md). */
  leaked?: boolean;
  /** Every leak report of the key, oldest first. */
  leakReports?: LeakReport[];
}

/**
 * WSO2 4.7 `APIAPIKeyInfo` of an API-bound key (`GET /apis/{apiId}/api-keys`) with Portico's additions; times in
 * epoch ms, `validityPeriod` in seconds (negative: never expires).
 */
export interface ApiBoundKey {
  keyUUID: string;
  keyName: string | null;
  associatedApp: string | null;
  associatedAppId: string | null;
  issuedOn: number;
  validityPeriod: number;
  lastUsed: number | null;
  keyType: KeyType;
  /** ACTIVE, ROTATING (replaced, works until `graceExpiresAt`), REVOKED or EXPIRED. */
  state: string;
  graceExpiresAt: number | null;
}

/** A leak report of an API key: when, where it was found, who reported it, and what Portico did. */
export interface LeakReport {
  reportedAt: number;
  url: string;
  source: string;
  reportedBy: string;
  /** `revoked`, or `marked` (recorded only: the key still works). */
  action: string;
}

/** WSO2 4.7 `ConsumerSecret` (`secrets` list: `secretValue` masked; times in epoch seconds, `expiresAt` null = never). */
export interface ConsumerSecret {
  secretId: string;
  secretValue: string;
  additionalProperties: {
    description: string;
    createdTime: number | null;
    expiresAt: number | null;
    state: string;
    graceExpiresAt?: number;
  };
}

export type KeyType = 'PRODUCTION' | 'SANDBOX';

export const KEY_TYPE_LABELS: Record<KeyType, string> = { PRODUCTION: 'Production', SANDBOX: 'Sandbox' };

/** WSO2's grant type labels. */
export const GRANT_LABELS: Record<string, string> = {
  client_credentials: 'Client Credentials',
  password: 'Password',
  refresh_token: 'Refresh Token',
  authorization_code: 'Code',
  implicit: 'Implicit',
  'urn:ietf:params:oauth:grant-type:jwt-bearer': 'JWT',
  'urn:ietf:params:oauth:grant-type:saml2-bearer': 'SAML2',
  'urn:ietf:params:oauth:grant-type:token-exchange': 'Token Exchange',
  'urn:ietf:params:oauth:grant-type:device_code': 'Device Code',
  iwa_ntlm: 'IWA-NTLM',
};
