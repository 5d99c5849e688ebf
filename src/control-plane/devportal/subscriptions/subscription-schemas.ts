import Type from 'typebox';

const Ref = Type.String({ minLength: 1, maxLength: 200 });

/**
 * Developer Portal `Subscription` body (POST /subscriptions, PUT /subscriptions/{id}). Only these three fields
 * are read; the rest of a WSO2 Subscription DTO (applicationInfo, apiInfo, status, ...) is tolerated.
 */
export const SubscriptionBody = Type.Object(
  { applicationId: Ref, apiId: Ref, throttlingPolicy: Ref },
  { additionalProperties: true },
);

/** POST /subscriptions/multiple: 1 to 100 subscriptions, created all or none. */
export const SubscriptionsBody = Type.Array(SubscriptionBody, { minItems: 1, maxItems: 100 });

const Id = { type: 'string', maxLength: 255 } as const;

/** GET /subscriptions: `applicationId` or `apiId` (one is required), paging; unknown parameters tolerated. */
export const SubscriptionListQuery = {
  type: 'object',
  properties: {
    applicationId: Id,
    apiId: Id,
    groupId: Id,
    limit: { type: 'string', maxLength: 10 },
    offset: { type: 'string', maxLength: 10 },
  },
  additionalProperties: true,
} as const;
