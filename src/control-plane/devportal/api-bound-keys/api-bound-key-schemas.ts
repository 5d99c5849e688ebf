import Type from 'typebox';

/** Body schemas of the API-bound key routes (WSO2 devportal-api.json); field rules beyond types stay in services. */

const KeyUuid = Type.String({ minLength: 1, maxLength: 200 });

/** `APIKeyRenewRequest` plus Portico's `gracePeriod` (seconds). */
export const RenewBody = Type.Object(
  { keyUUID: KeyUuid, gracePeriod: Type.Optional(Type.Integer({ minimum: 0 })) },
  { additionalProperties: true },
);

/** `APIAPIKeyRevokeRequest` (`keyUUID`), or Portico's revoke by value (`apikey`). */
export const RevokeBody = Type.Object(
  {
    keyUUID: Type.Optional(KeyUuid),
    apikey: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  },
  { additionalProperties: true },
);

/** `APIAPIKeyAssociateRequest`. */
export const ApiAssociateBody = Type.Object(
  { keyUUID: KeyUuid, applicationUUID: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: true },
);

/** `AppAPIKeyAssociateRequest`. */
export const AppAssociateBody = Type.Object(
  { keyUUID: KeyUuid, apiUUID: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: true },
);

/** `APIKeyDissociateRequest`. */
export const DissociateBody = Type.Object({ keyUUID: KeyUuid }, { additionalProperties: true });
