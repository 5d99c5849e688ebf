import Type, { type TSchema } from 'typebox';

/**
 * Request schemas of the Publisher v4 routes. They pin the JSON type of every field a handler reads (a wrong type
 * is 400 VALIDATION_FAILED before any handler runs); the semantic rules (patterns, known policies, lifecycle) stay
 * in the DTO validators. Read-only and unknown WSO2 fields are tolerated: clients PUT back what they GET, and WSO2
 * writes `null` for most absent values, so optional fields accept null where the validator treats it as absent.
 */
const nullable = <T extends TSchema>(t: T) => Type.Optional(Type.Union([t, Type.Null()]));
const Text = Type.String({ maxLength: 10_000 });
const Texts = Type.Array(Type.String({ maxLength: 10_000 }), { maxItems: 1000 });
const Loose = <P extends Record<string, TSchema>>(p: P) => Type.Object(p, { additionalProperties: true });

const Endpoint = Loose({
  url: Type.Optional(Type.String({ maxLength: 2048 })),
  config: Type.Optional(Type.Unknown()),
});

/** Publisher `API` body of POST /apis and PUT /apis/{apiId}. */
export const ApiBody = Loose({
  name: nullable(Text),
  description: nullable(Text),
  context: nullable(Text),
  version: nullable(Text),
  transport: nullable(Texts),
  tags: nullable(Texts),
  policies: nullable(Texts),
  apiThrottlingPolicy: nullable(Text),
  securityScheme: nullable(Texts),
  authorizationHeader: nullable(Text),
  apiKeyHeader: nullable(Text),
  visibility: nullable(Text),
  visibleRoles: nullable(Texts),
  isDefaultVersion: Type.Optional(Type.Boolean()),
  endpointConfig: nullable(
    Loose({
      endpoint_type: nullable(Text),
      production_endpoints: nullable(Endpoint),
      sandbox_endpoints: nullable(Endpoint),
    }),
  ),
  operations: nullable(
    Type.Array(
      Loose({
        id: nullable(Text),
        target: Type.Optional(Text),
        verb: Type.Optional(Text),
        authType: nullable(Text),
        throttlingPolicy: nullable(Text),
        scopes: nullable(Texts),
      }),
      { maxItems: 1000 },
    ),
  ),
  scopes: nullable(
    Type.Array(
      Loose({
        scope: Loose({
          id: nullable(Text),
          name: Type.Optional(Text),
          displayName: nullable(Text),
          description: nullable(Text),
          bindings: nullable(Texts),
        }),
        shared: nullable(Type.Boolean()),
      }),
      { maxItems: 1000 },
    ),
  ),
  businessInformation: nullable(
    Loose({
      businessOwner: nullable(Text),
      businessOwnerEmail: nullable(Text),
      technicalOwner: nullable(Text),
      technicalOwnerEmail: nullable(Text),
    }),
  ),
});

/** An OpenAPI definition: the document, or its JSON text (WSO2's `apiDefinition` form field). */
const Definition = Type.Union([Type.Object({}, { additionalProperties: true }), Type.String()]);

const DefinitionUrl = Type.String({ minLength: 1, maxLength: 2048 });

/**
 * POST /apis/import-openapi: WSO2's multipart fields `file`, `url` or `inlineAPIDefinition`, and
 * `additionalProperties` (the API as JSON text); or, as JSON, `{definition, additionalProperties}`.
 */
export const ImportBody = Type.Object(
  {
    definition: Type.Optional(Definition),
    file: Type.Optional(Definition),
    url: Type.Optional(DefinitionUrl),
    inlineAPIDefinition: Type.Optional(Definition),
    additionalProperties: nullable(
      Type.Union([Type.Object({}, { additionalProperties: true }), Type.String()]),
    ),
  },
  { additionalProperties: true },
);

/** PUT /apis/{apiId}/swagger: multipart `apiDefinition`, `file` or `url`; as JSON `{apiDefinition}` or the document. */
export const DefinitionBody = Type.Object(
  {
    apiDefinition: Type.Optional(Definition),
    file: Type.Optional(Definition),
    url: Type.Optional(DefinitionUrl),
  },
  { additionalProperties: true },
);

/** Query of POST /apis/validate-openapi. */
export const ValidateQuery = {
  type: 'object',
  properties: { returnContent: { type: 'string', enum: ['true', 'false'] } },
  additionalProperties: true,
} as const;

/** POST /apis/{apiId}/revisions: an `APIRevision` (only the description is read), or no body. */
export const RevisionBody = Type.Union([
  Type.Object(
    { description: Type.Optional(Type.String({ maxLength: 255 })) },
    { additionalProperties: true },
  ),
  Type.Null(),
]);

/** POST /apis/{apiId}/deploy-revision: `[APIRevisionDeployment]`. */
export const DeploymentBody = Type.Array(
  Type.Object(
    {
      name: Type.String({ maxLength: 255 }),
      vhost: Type.Optional(Type.String({ maxLength: 255 })),
      displayOnDevportal: nullable(Type.Boolean()),
    },
    { additionalProperties: true },
  ),
  { minItems: 1, maxItems: 10 },
);

/** PUT /apis/{apiId}/deployments/{deploymentId}: one `APIRevisionDeployment` (checked in deployment-update.ts). */
export const DeploymentUpdateBody = Type.Object(
  {
    revisionUuid: nullable(Type.String({ maxLength: 255 })),
    name: nullable(Type.String({ maxLength: 255 })),
    vhost: nullable(Type.String({ maxLength: 255 })),
    displayOnDevportal: nullable(Type.Boolean()),
  },
  { additionalProperties: true },
);

/** POST /apis/{apiId}/undeploy-revision: like {@link DeploymentBody}, or no body. */
export const UndeploymentBody = Type.Union([DeploymentBody, Type.Null()]);

const Id = { type: 'string', maxLength: 255 } as const;

/** Query of WSO2 list operations: `limit`, `offset`, `query`, plus `extra`; unknown parameters are tolerated. */
export function listQuery(extra: Record<string, object> = {}) {
  return {
    type: 'object',
    properties: {
      limit: { type: 'string', maxLength: 10 },
      offset: { type: 'string', maxLength: 10 },
      query: { type: 'string', maxLength: 1000 },
      ...extra,
    },
    additionalProperties: true,
  } as const;
}

/** Query of POST /apis/change-lifecycle. */
export const LifecycleQuery = {
  type: 'object',
  properties: { apiId: Id, action: Id, lifecycleChecklist: { type: 'string', maxLength: 1000 } },
  additionalProperties: true,
} as const;

/** Query of the revision routes that name a revision (`deploy-revision`, `undeploy-revision`). */
export const RevisionQuery = {
  type: 'object',
  properties: {
    revisionId: Id,
    revisionNumber: Id,
    allEnvironments: { type: 'string', maxLength: 10 },
    query: { type: 'string', maxLength: 1000 },
  },
  additionalProperties: true,
} as const;

/** Query of block-subscription and unblock-subscription. */
export const BlockQuery = {
  type: 'object',
  properties: { subscriptionId: Id, blockState: Id },
  additionalProperties: true,
} as const;
