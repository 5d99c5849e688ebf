import { restErrors, RestError } from '../../core/index.js';
import { isObject } from './api-dto.js';
import { definitionEndpoints, fromOpenApi } from './openapi.js';

/** WSO2's `OpenAPIDefinitionValidationResponse`. */
export interface OpenApiValidationResponse {
  isValid: boolean;
  content?: string;
  info?: {
    name: string;
    version: string;
    context: string;
    description: string;
    openAPIVersion: string;
    endpoints: string[];
    operations: Record<string, unknown>[];
  };
  errors?: { code: string; message: string; description: string }[];
}

/**
 * The validate-openapi answer for a parsed definition: `isValid: true` with `info` (name, version, context,
 * description, OpenAPI version, endpoints, operations) and, when asked, `content` (the text as given, or the
 * JSON of a document sent as an object); otherwise `isValid: false` and every problem found in `errors`.
 * Like WSO2, `context` is `x-wso2-basePath` without the version when present, else `/` + the lower-cased title
 * without spaces.
 * @example openApiValidation(YAML.parse(text), text, false).isValid
 */
export function openApiValidation(
  doc: unknown,
  text: string | null,
  returnContent: boolean,
): OpenApiValidationResponse {
  const problems: string[] = [];
  let imported: ReturnType<typeof fromOpenApi> | null = null;
  try {
    imported = fromOpenApi(doc);
  } catch (err) {
    if (!(err instanceof RestError) || err.errorCode !== 'INVALID_DEFINITION') throw err;
    problems.push(err.description);
  }
  const info = isObject(doc) && isObject(doc.info) ? doc.info : null;
  if (isObject(doc) && !info) problems.push('The OpenAPI document has no info object');
  if (info && (typeof info.title !== 'string' || info.title.trim() === ''))
    problems.push('info.title is required');
  if (info && typeof info.version !== 'string') problems.push('info.version is required (a string)');
  if (problems.length > 0 || !imported || !isObject(doc)) return invalidDefinition(problems);

  const title = imported.title ?? '';
  return {
    isValid: true,
    ...(returnContent ? { content: text ?? JSON.stringify(doc) } : {}),
    info: {
      name: title,
      version: imported.version ?? '',
      context: imported.context ?? `/${title.replace(/\s+/g, '').toLowerCase()}`,
      description: imported.description ?? '',
      openAPIVersion: typeof doc.openapi === 'string' ? doc.openapi : String(doc.swagger),
      endpoints: definitionEndpoints(doc),
      operations: imported.operations,
    },
  };
}

/** `isValid: false` with one `ErrorListItem` per problem (code: INVALID_DEFINITION's number, as WSO2 writes it). */
export function invalidDefinition(problems: readonly string[]): OpenApiValidationResponse {
  const code = String(restErrors.INVALID_DEFINITION.code);
  return {
    isValid: false,
    errors: problems.map((description) => ({ code, message: 'Invalid API definition', description })),
  };
}
