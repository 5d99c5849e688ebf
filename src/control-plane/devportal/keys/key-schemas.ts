import Type from 'typebox';

/**
 * A token validity in seconds: positive, or negative for a token that never expires (WSO2). Zero would sign
 * `exp == iat`, a token born expired that the clock skew still lets in for minutes, so it is refused.
 */
const VALIDITY = [
  Type.Integer({ minimum: -2147483648, maximum: -1 }),
  Type.Integer({ minimum: 1, maximum: 2147483647 }),
];
const VALIDITY_TEXT = '^-?[1-9][0-9]{0,9}$';

const KeyType = Type.Union([Type.Literal('PRODUCTION'), Type.Literal('SANDBOX')]);
const Grants = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 });
const Scopes = Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 50 });
const Props = Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 });

/** WSO2 `ApplicationKeyGenerateRequest`. */
export const GenerateKeysBody = Type.Object(
  {
    keyType: KeyType,
    keyManager: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    grantTypesToBeSupported: Grants,
    callbackUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    scopes: Type.Optional(Scopes),
    validityTime: Type.Optional(Type.Union([Type.String({ pattern: VALIDITY_TEXT }), ...VALIDITY])),
    clientId: Type.Optional(Type.String({ maxLength: 255 })),
    clientSecret: Type.Optional(Type.String({ maxLength: 255 })),
    additionalProperties: Type.Optional(Type.Union([Props, Type.String({ maxLength: 4096 })])),
  },
  { additionalProperties: false },
);
export type GenerateKeysBody = Type.Static<typeof GenerateKeysBody>;

/** WSO2 `ApplicationKeyMappingRequest` (`map-keys`). */
export const MapKeysBody = Type.Object(
  {
    consumerKey: Type.String({ minLength: 1, maxLength: 255 }),
    consumerSecret: Type.String({ minLength: 1, maxLength: 255 }),
    keyManager: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    keyType: KeyType,
  },
  { additionalProperties: false },
);
export type MapKeysBody = Type.Static<typeof MapKeysBody>;

/** PUT `oauth-keys/{keyMappingId}`: an `ApplicationKey`, of which grant types, callback and properties change. */
export const UpdateKeyBody = Type.Object(
  {
    supportedGrantTypes: Type.Optional(Grants),
    callbackUrl: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    additionalProperties: Type.Optional(Type.Union([Props, Type.String({ maxLength: 4096 })])),
  },
  { additionalProperties: true },
);
export type UpdateKeyBody = Type.Static<typeof UpdateKeyBody>;

/** WSO2 `ApplicationTokenGenerateRequest`. */
export const GenerateTokenBody = Type.Object(
  {
    consumerSecret: Type.String({ minLength: 1, maxLength: 255 }),
    validityPeriod: Type.Optional(Type.Union(VALIDITY)),
    scopes: Type.Optional(Scopes),
    revokeToken: Type.Optional(Type.Union([Type.String({ maxLength: 8192 }), Type.Null()])),
    grantType: Type.Optional(
      Type.Union([Type.Literal('CLIENT_CREDENTIALS'), Type.Literal('TOKEN_EXCHANGE')]),
    ),
    additionalProperties: Type.Optional(Type.Union([Props, Type.String({ maxLength: 4096 })])),
  },
  { additionalProperties: false },
);
export type GenerateTokenBody = Type.Static<typeof GenerateTokenBody>;

export const AppParams = {
  type: 'object',
  properties: { applicationId: { type: 'string', maxLength: 64 } },
  required: ['applicationId'],
} as const;
export const KeyParams = {
  type: 'object',
  properties: {
    applicationId: { type: 'string', maxLength: 64 },
    keyMappingId: { type: 'string', maxLength: 64 },
  },
  required: ['applicationId', 'keyMappingId'],
} as const;
/** `keys/{keyType}` (deprecated WSO2 family): the key type instead of the key mapping id. */
export const KeyTypeParams = {
  type: 'object',
  properties: {
    applicationId: { type: 'string', maxLength: 64 },
    keyType: { type: 'string', enum: ['PRODUCTION', 'SANDBOX'] },
  },
  required: ['applicationId', 'keyType'],
} as const;

/** The two ways to name one key in a path, with the parameter schema of each (oauth-keys first). */
export const KEY_PATHS = [
  { path: 'oauth-keys/:keyMappingId', params: KeyParams },
  { path: 'keys/:keyType', params: KeyTypeParams },
] as const;

/** WSO2 `ConsumerSecretCreationRequest` (`generate-secret`): `expiresIn` in seconds, absent = never expires. */
export const GenerateSecretBody = Type.Object(
  {
    additionalProperties: Type.Optional(
      Type.Object(
        {
          description: Type.Optional(Type.String({ maxLength: 255 })),
          expiresIn: Type.Optional(
            Type.Union([
              Type.Integer({ minimum: 1, maximum: 2147483647 }),
              Type.String({ pattern: '^[1-9][0-9]{0,9}$' }),
            ]),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export type GenerateSecretBody = Type.Static<typeof GenerateSecretBody>;

/** WSO2 `ConsumerSecretDeletionRequest` (`revoke-secret`). */
export const RevokeSecretBody = Type.Object(
  {
    secretId: Type.String({ minLength: 1, maxLength: 64 }),
    additionalProperties: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), Type.Unknown(), { maxProperties: 50 }),
    ),
  },
  { additionalProperties: false },
);
export type RevokeSecretBody = Type.Static<typeof RevokeSecretBody>;
