import { RestError } from '../../core/index.js';
import type { ControlPlaneContext } from '../context.js';
import { parseDefinitionText } from './definition-text.js';
import { fetchDefinition } from './definition-url.js';

/** A definition as the client gave it: the field it came in, its JSON value, and its text when it was text. */
export interface DefinitionInput {
  field: string;
  doc: unknown;
  text: string | null;
}

/**
 * The one API definition of a request body (a multipart form or JSON), from whichever of `fields` is present:
 * `url` is fetched under `[apim.publisher] definition_url_access`, any other field holds the document as YAML
 * or JSON text (a file part, `inlineAPIDefinition`, `apiDefinition`) or, in a JSON body, as an object.
 * Faults: 400 DEFINITION_MISSING (none or several of `fields`), INVALID_DEFINITION (not YAML/JSON), the faults of
 * {@link fetchDefinition}.
 * @example await readDefinition(ctx, req.body, ['file', 'url', 'inlineAPIDefinition'])
 */
export async function readDefinition(
  ctx: ControlPlaneContext,
  body: unknown,
  fields: readonly string[],
): Promise<DefinitionInput> {
  const given =
    body !== null && typeof body === 'object'
      ? fields.filter((f) => (body as Record<string, unknown>)[f] !== undefined)
      : [];
  if (given.length !== 1)
    throw new RestError(
      'DEFINITION_MISSING',
      given.length === 0
        ? `Give the API definition in one of ${fields.join(', ')}`
        : `Give the API definition in only one of ${given.join(', ')}`,
    );
  const field = given[0] as string;
  const value = (body as Record<string, unknown>)[field];
  if (field === 'url') {
    if (typeof value !== 'string')
      throw new RestError('VALIDATION_FAILED', 'url must be an absolute http(s) URL');
    const { definition_url_access: access, max_definition_size: maxBytes } = ctx.config.apim.publisher;
    const text = await fetchDefinition(value, { access, maxBytes });
    return { field, doc: parseDefinitionText(text, field), text };
  }
  if (typeof value === 'string') return { field, doc: parseDefinitionText(value, field), text: value };
  return { field, doc: value, text: null };
}
