import Type from 'typebox';
import { RestError } from '../../../core/index.js';
import {
  KEY_MANAGER_TYPES,
  SECRET_PROPERTIES,
  defaultConsumerKeyClaim,
  defaultScopesClaim,
  type KeyManagerDefinition,
  type KeyManagerType,
} from '../../../key-manager/external/index.js';
import { RESIDENT_KEY_MANAGER } from '../../../key-manager/index.js';
import { refuseUnsupportedFields } from '../../http/unsupported-fields.js';
import {
  keyManagerFieldSupport,
  refuseUnsupportedKeyManagerSettings,
} from './key-manager-unsupported-settings.js';

const Url = Type.String({ maxLength: 2048 });
const Claim = Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.:/-]+$' });

/**
 * Admin v4 `KeyManager` request body. Other fields pass the schema and are then refused unless WSO2 has them and
 * they say "not used" ({@link keyManagerFieldSupport}), so WSO2 clients can post their DTOs unchanged and nothing
 * is silently dropped.
 */
export const KeyManagerBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9][A-Za-z0-9 ._-]*$' }),
    displayName: Type.Optional(Type.String({ maxLength: 100 })),
    type: Type.Union(KEY_MANAGER_TYPES.map((t) => Type.Literal(t))),
    description: Type.Optional(Type.String({ maxLength: 1024 })),
    enabled: Type.Optional(Type.Boolean()),
    issuer: Type.String({ minLength: 1, maxLength: 2048 }),
    wellKnownEndpoint: Type.Optional(Url),
    clientRegistrationEndpoint: Type.Optional(Url),
    introspectionEndpoint: Type.Optional(Url),
    tokenEndpoint: Type.Optional(Url),
    revokeEndpoint: Type.Optional(Url),
    userInfoEndpoint: Type.Optional(Url),
    authorizeEndpoint: Type.Optional(Url),
    certificates: Type.Optional(
      Type.Object({ type: Type.String({ maxLength: 10 }), value: Type.String({ maxLength: 2048 }) }),
    ),
    additionalProperties: Type.Optional(
      Type.Record(
        Type.String({ maxLength: 100 }),
        Type.Union([Type.String({ maxLength: 4096 }), Type.Null()]),
        {
          maxProperties: 50,
        },
      ),
    ),
    claimMapping: Type.Optional(
      Type.Array(Type.Object({ remoteClaim: Claim, localClaim: Claim }), { maxItems: 50 }),
    ),
    consumerKeyClaim: Type.Optional(Claim),
    scopesClaim: Type.Optional(Claim),
    availableGrantTypes: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 }),
    ),
    tokenValidationMethod: Type.Optional(Type.Union([Type.Literal('jwks'), Type.Literal('introspection')])),
    enableSelfValidationJWT: Type.Optional(Type.Boolean()),
    enableTokenGeneration: Type.Optional(Type.Boolean()),
    enableOAuthAppCreation: Type.Optional(Type.Boolean()),
    enableMapOAuthConsumerApps: Type.Optional(Type.Boolean()),
    permissions: Type.Optional(
      Type.Object({
        permissionType: Type.Union([Type.Literal('PUBLIC'), Type.Literal('ALLOW'), Type.Literal('DENY')]),
        roles: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 })),
      }),
    ),
    tokenType: Type.Optional(
      Type.Union([Type.Literal('DIRECT'), Type.Literal('EXCHANGED'), Type.Literal('BOTH'), Type.Null()]),
    ),
    alias: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    global: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    tokenValidation: Type.Optional(
      Type.Union([
        Type.Array(
          Type.Object(
            {
              id: Type.Optional(Type.Integer()),
              enable: Type.Optional(Type.Boolean()),
              type: Type.Union([Type.Literal('REFERENCE'), Type.Literal('JWT'), Type.Literal('CUSTOM')]),
              value: Type.Optional(Type.Unknown()),
            },
            { additionalProperties: false },
          ),
          { maxItems: 20 },
        ),
        Type.Null(),
      ]),
    ),
  },
  { additionalProperties: true },
);
export type KeyManagerBody = Type.Static<typeof KeyManagerBody>;

const KEY_MANAGER_FIELDS = keyManagerFieldSupport(Object.keys(KeyManagerBody.properties));

/** `POST /key-managers/discover` body. */
export const DiscoverBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: 2048 }),
    type: Type.Union(KEY_MANAGER_TYPES.map((t) => Type.Literal(t))),
  },
  { additionalProperties: false },
);
export type DiscoverBody = Type.Static<typeof DiscoverBody>;

const SECRETS = new Set<string>(SECRET_PROPERTIES);

/**
 * What the admin REST API returns in place of a stored connector secret, and what a PUT sends to keep it.
 * Wire contract (docs/external-key-managers.md).
 */
export const SECRET_MASK = '********';

/**
 * Validates a request body into a stored definition. Secrets missing from `additionalProperties` or sent as
 * {@link SECRET_MASK} keep their `previous` value; a secret sent as `""` or null is removed. A stored setting Portico
 * does not act on (`tokenType` EXCHANGED, ...) is refused like a new one: an update must change it.
 * @throws RestError VALIDATION_FAILED (also for a mask where no secret is stored), UNSUPPORTED_FIELD (see
 * {@link refuseUnsupportedKeyManagerSettings})
 */
export function definitionFromBody(
  body: KeyManagerBody,
  id: string,
  previous: KeyManagerDefinition | null,
): KeyManagerDefinition {
  if (body.name.trim().toLowerCase() === RESIDENT_KEY_MANAGER.toLowerCase()) {
    throw invalid(`The name ${RESIDENT_KEY_MANAGER} is reserved`);
  }
  refuseUnsupportedFields(body as Record<string, unknown>, KEY_MANAGER_FIELDS);
  refuseUnsupportedKeyManagerSettings(body);
  const type: KeyManagerType = body.type;
  const url = (field: string, v: string | undefined, required = false): string => {
    const value = (v ?? '').trim();
    if (value === '') {
      if (required) throw invalid(`${field} is required`);
      return '';
    }
    if (!isHttpUrl(value)) throw invalid(`${field} must be an absolute http(s) URL`);
    return value;
  };
  if (body.certificates && body.certificates.type !== 'JWKS') {
    throw invalid('certificates.type must be JWKS (PEM certificates are not supported)');
  }
  const method =
    body.tokenValidationMethod ?? (body.enableSelfValidationJWT === false ? 'introspection' : 'jwks');
  const def: KeyManagerDefinition = {
    id,
    name: body.name,
    displayName: body.displayName?.trim() || body.name,
    type,
    description: body.description ?? '',
    enabled: body.enabled ?? true,
    issuer: url('issuer', body.issuer, true),
    wellKnownEndpoint: url('wellKnownEndpoint', body.wellKnownEndpoint),
    clientRegistrationEndpoint: url('clientRegistrationEndpoint', body.clientRegistrationEndpoint),
    introspectionEndpoint: url(
      'introspectionEndpoint',
      body.introspectionEndpoint,
      method === 'introspection',
    ),
    tokenEndpoint: url('tokenEndpoint', body.tokenEndpoint),
    revokeEndpoint: url('revokeEndpoint', body.revokeEndpoint),
    userInfoEndpoint: url('userInfoEndpoint', body.userInfoEndpoint),
    authorizeEndpoint: url('authorizeEndpoint', body.authorizeEndpoint),
    certificates: {
      type: 'JWKS',
      value: url('certificates.value', body.certificates?.value, method === 'jwks'),
    },
    additionalProperties: mergeProperties(body.additionalProperties, previous?.additionalProperties ?? {}),
    claimMapping: body.claimMapping ?? [],
    consumerKeyClaim: body.consumerKeyClaim ?? defaultConsumerKeyClaim(type),
    scopesClaim: body.scopesClaim ?? defaultScopesClaim(type),
    availableGrantTypes: [...new Set(body.availableGrantTypes ?? ['client_credentials'])],
    tokenValidationMethod: method,
    enableTokenGeneration: body.enableTokenGeneration ?? true,
    enableOAuthAppCreation: body.enableOAuthAppCreation ?? true,
    enableMapOAuthConsumerApps: body.enableMapOAuthConsumerApps ?? true,
    permissions: {
      permissionType: body.permissions?.permissionType ?? 'PUBLIC',
      roles: [...new Set(body.permissions?.roles ?? [])],
    },
  };
  // Stored and returned as sent (only values without effect pass refuseUnsupportedKeyManagerSettings).
  def.tokenType = body.tokenType ?? 'DIRECT';
  def.alias = body.alias ?? '';
  def.global = body.global ?? false;
  def.tokenValidation = (body.tokenValidation ?? []).map((t) => ({
    ...(t.id !== undefined ? { id: t.id } : {}),
    enable: t.enable ?? true,
    type: t.type,
    value: t.value ?? null,
  }));
  if (JSON.stringify(def.tokenValidation).length > 20_000) throw invalid('tokenValidation is too large');
  if (def.permissions.permissionType !== 'PUBLIC' && def.permissions.roles.length === 0) {
    throw invalid(`permissions.roles is required for ${def.permissions.permissionType}`);
  }
  return def;
}

/**
 * The admin REST view of a definition: a stored connector secret is returned as {@link SECRET_MASK}, never in
 * clear, so a client sees that it is set and can send the DTO back unchanged. Wire contract.
 */
export function keyManagerDto(def: KeyManagerDefinition) {
  const props: Record<string, string> = {};
  for (const [k, v] of Object.entries(def.additionalProperties)) props[k] = SECRETS.has(k) ? SECRET_MASK : v;
  return {
    id: def.id,
    name: def.name,
    displayName: def.displayName,
    type: def.type,
    description: def.description,
    enabled: def.enabled,
    issuer: def.issuer,
    wellKnownEndpoint: def.wellKnownEndpoint,
    clientRegistrationEndpoint: def.clientRegistrationEndpoint,
    introspectionEndpoint: def.introspectionEndpoint,
    tokenEndpoint: def.tokenEndpoint,
    revokeEndpoint: def.revokeEndpoint,
    userInfoEndpoint: def.userInfoEndpoint,
    authorizeEndpoint: def.authorizeEndpoint,
    certificates: { ...def.certificates },
    additionalProperties: props,
    claimMapping: def.claimMapping.map((c) => ({ ...c })),
    consumerKeyClaim: def.consumerKeyClaim,
    scopesClaim: def.scopesClaim,
    availableGrantTypes: [...def.availableGrantTypes],
    tokenValidationMethod: def.tokenValidationMethod,
    enableSelfValidationJWT: def.tokenValidationMethod === 'jwks',
    enableTokenGeneration: def.enableTokenGeneration,
    enableOAuthAppCreation: def.enableOAuthAppCreation,
    enableMapOAuthConsumerApps: def.enableMapOAuthConsumerApps,
    permissions: { permissionType: def.permissions.permissionType, roles: [...def.permissions.roles] },
    tokenType: def.tokenType ?? 'DIRECT',
    alias: def.alias ?? '',
    global: def.global ?? false,
    tokenValidation: structuredClone(def.tokenValidation ?? []),
  };
}

/** WSO2 `KeyManagerInfo` (list entries). */
export function keyManagerInfo(km: {
  id: string;
  name: string;
  displayName: string;
  type: string;
  description: string;
  enabled: boolean;
}) {
  return {
    id: km.id,
    name: km.name,
    displayName: km.displayName,
    type: km.type,
    description: km.description,
    enabled: km.enabled,
  };
}

function mergeProperties(
  sent: Record<string, string | null> | undefined,
  previous: Record<string, string>,
): Record<string, string> {
  if (sent === undefined) return { ...previous };
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sent)) {
    if (v === null || v === '') continue;
    if (SECRETS.has(k) && v === SECRET_MASK) {
      // The mask a GET returned: keep the stored secret. A mask with nothing stored is a client mistake.
      const kept = previous[k];
      if (kept === undefined) throw invalid(`additionalProperties.${k} is masked but no secret is stored`);
      out[k] = kept;
    } else out[k] = v;
  }
  for (const s of SECRETS) {
    if (!(s in sent) && previous[s] !== undefined) out[s] = previous[s];
  }
  return out;
}

function isHttpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.host !== '';
  } catch {
    return false;
  }
}

function invalid(description: string): RestError {
  return new RestError('VALIDATION_FAILED', description);
}
