import type { FastifyInstance } from 'fastify';
import { RestError } from '../../core/index.js';
import { callerOf } from '../auth/authenticate.js';
import type { ControlPlaneContext } from '../context.js';
import { JSON_ONLY } from '../http/input-guard.js';
import { MULTIPART } from '../http/multipart-form.js';
import { isHttpUrl, isObject } from './api-dto.js';
import { createApi, accessibleApiOr404, rowToDto, updateApi } from './api-service.js';
import { BASE, CREATE } from './api-routes.js';
import { readDefinition } from './definition-source.js';
import { parseJsonObjectField } from './definition-text.js';
import { fromOpenApi, toOpenApi } from './openapi.js';
import { invalidDefinition, openApiValidation } from './openapi-validation.js';
import { DefinitionBody, ImportBody, ValidateQuery } from './publisher-schemas.js';

type ApiParams = { Params: { apiId: string } };

const IMPORT_SOURCES = ['file', 'url', 'inlineAPIDefinition', 'definition'] as const;
const VALIDATE_SOURCES = ['file', 'url', 'inlineAPIDefinition'] as const;
const SWAGGER_SOURCES = ['apiDefinition', 'file', 'url'] as const;

/**
 * The OpenAPI operations of the Publisher v4 that WSO2 takes as `multipart/form-data` (Portico also takes their
 * JSON form): `POST /apis/import-openapi` (an API from a definition and `additionalProperties`),
 * `POST /apis/validate-openapi` (a summary, or `isValid: false` with the problems) and
 * `PUT /apis/{apiId}/swagger` (replace the API's operations and scopes). A definition is YAML or JSON, in a file
 * part, an inline field or a `url` (fetched only as `[apim.publisher] definition_url_access` allows).
 * Faults: 400 DEFINITION_MISSING, INVALID_DEFINITION, MULTIPART_INVALID, DEFINITION_URL_*, VALIDATION_FAILED;
 * 404 API_NOT_FOUND; 413 PAYLOAD_TOO_LARGE; 415 UNSUPPORTED_MEDIA_TYPE.
 */
export function registerOpenApiRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  const bodyLimit = ctx.config.apim.publisher.max_definition_size;
  const importRoute = {
    bodyLimit,
    config: {
      scopes: CREATE,
      accepts: [...JSON_ONLY, MULTIPART],
      formFields: ['file', 'url', 'inlineAPIDefinition', 'additionalProperties'],
      documentFields: ['definition', 'file', 'inlineAPIDefinition', 'additionalProperties'],
    },
    schema: { body: ImportBody },
  };
  app.post(`${BASE}/apis/import-openapi`, importRoute, async (req, reply) => {
    const body = isObject(req.body) ? req.body : {};
    const extra = parseJsonObjectField(body.additionalProperties ?? {}, 'additionalProperties');
    const { doc } = await readDefinition(ctx, body, IMPORT_SOURCES);
    const dto = await createApi(ctx, importInput(doc, extra), callerOf(req));
    return reply.status(201).header('location', `${BASE}/apis/${dto.id}`).send(dto);
  });

  const validateRoute = {
    config: {
      scopes: CREATE,
      accepts: [MULTIPART],
      formFields: [...VALIDATE_SOURCES],
      documentFields: [...VALIDATE_SOURCES],
    },
    schema: { querystring: ValidateQuery },
  };
  app.post<{ Querystring: { returnContent?: string } }>(
    `${BASE}/apis/validate-openapi`,
    validateRoute,
    async (req) => {
      try {
        const { doc, text } = await readDefinition(ctx, req.body, VALIDATE_SOURCES);
        return openApiValidation(doc, text, req.query.returnContent === 'true');
      } catch (err) {
        // A definition that does not parse is an answer here, not a failed request (WSO2: 200, isValid false).
        if (err instanceof RestError && err.errorCode === 'INVALID_DEFINITION')
          return invalidDefinition([err.description]);
        throw err;
      }
    },
  );

  const definitionRoute = {
    bodyLimit,
    config: {
      scopes: CREATE,
      accepts: [...JSON_ONLY, MULTIPART],
      formFields: [...SWAGGER_SOURCES],
      documentFields: ['*'],
    },
    schema: { body: DefinitionBody },
  };
  app.put<ApiParams>(`${BASE}/apis/:apiId/swagger`, definitionRoute, async (req) => {
    const caller = callerOf(req);
    const current = rowToDto(await accessibleApiOr404(ctx.store, req.params.apiId, caller));
    const body = req.body;
    // A JSON body may be the document itself (Portico's shorthand for `{apiDefinition: <document>}`).
    const isDocument = isObject(body) && (body.openapi !== undefined || body.swagger !== undefined);
    const doc = isDocument ? body : (await readDefinition(ctx, body, SWAGGER_SOURCES)).doc;
    const imported = fromOpenApi(doc);
    const updated = await updateApi(
      ctx,
      req.params.apiId,
      { operations: imported.operations, scopes: imported.scopes.length ? imported.scopes : current.scopes },
      caller,
    );
    return toOpenApi(updated);
  });
}

/**
 * The API to create from a definition and `additionalProperties`: the document gives title, version,
 * description, operations, scopes and endpoints; additionalProperties (WSO2: name, version, context,
 * endpointConfig, policies, ...) overrides them. @throws RestError INVALID_DEFINITION
 */
function importInput(definition: unknown, extra: Record<string, unknown>): Record<string, unknown> {
  const doc = fromOpenApi(definition);
  const endpoint = (url: string | undefined) => (url && isHttpUrl(url) ? { url } : undefined);
  const prod = endpoint(doc.productionUrl);
  const sandbox = endpoint(doc.sandboxUrl);
  return {
    name: doc.title?.replace(/[^A-Za-z0-9 _.-]/g, ''),
    version: doc.version,
    context: doc.context,
    description: doc.description,
    ...(prod || sandbox
      ? {
          endpointConfig: {
            endpoint_type: 'http',
            ...(prod ? { production_endpoints: prod } : {}),
            ...(sandbox ? { sandbox_endpoints: sandbox } : {}),
          },
        }
      : {}),
    scopes: doc.scopes,
    operations: doc.operations,
    ...extra,
  };
}
