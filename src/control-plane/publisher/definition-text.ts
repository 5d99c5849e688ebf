import { parseDocument } from 'yaml';
import { RestError } from '../../core/index.js';
import { checkParsedInput } from '../http/input-guard.js';

/** YAML aliases a definition may expand; more is refused as a resource-exhaustion attempt ("billion laughs"). */
const MAX_YAML_ALIASES = 100;

/**
 * An API definition's text (an uploaded file, `inlineAPIDefinition`, a fetched URL) as a JSON value: JSON when
 * it starts with `{`, YAML 1.2 otherwise (core schema, no YAML 1.1 tags, unique keys, one document). Every
 * string of the result obeys the control plane's text rules, like a JSON body.
 * @throws RestError INVALID_DEFINITION (`file is not valid YAML: Map keys must be unique at line 2, column 1`),
 * VALIDATION_FAILED (a control character, too deep)
 * @example parseDefinitionText('openapi: 3.0.1\ninfo: {title: T, version: "1"}\npaths: {}\n', 'file')
 */
export function parseDefinitionText(text: string, field: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new RestError('INVALID_DEFINITION', `${field} is empty`);
  const value = body.trimStart().startsWith('{') ? parseJson(body, field) : parseYaml(body, field);
  checkParsedInput(value, field, { document: true });
  return value;
}

/**
 * A JSON object given as text (the `additionalProperties` form field), or the object itself.
 * @throws RestError VALIDATION_FAILED (not JSON, not an object, a control character)
 */
export function parseJsonObjectField(value: unknown, field: string): Record<string, unknown> {
  let parsed = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch (err) {
      throw new RestError('VALIDATION_FAILED', `${field} is not valid JSON: ${(err as Error).message}`);
    }
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed))
    throw new RestError('VALIDATION_FAILED', `${field} must be a JSON object`);
  checkParsedInput(parsed, field, { document: false });
  return parsed as Record<string, unknown>;
}

function parseJson(text: string, field: string): unknown {
  try {
    // JSON.parse keeps a `__proto__` key an own property; it never becomes the prototype.
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RestError('INVALID_DEFINITION', `${field} is not valid JSON: ${(err as Error).message}`);
  }
}

function parseYaml(text: string, field: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true, resolveKnownTags: false, prettyErrors: true });
  const first = doc.errors[0];
  if (first)
    throw new RestError('INVALID_DEFINITION', `${field} is not valid YAML: ${firstLine(first.message)}`);
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown;
  } catch (err) {
    throw new RestError(
      'INVALID_DEFINITION',
      `${field} is not valid YAML: ${firstLine((err as Error).message)}`,
    );
  }
}

/** The message without yaml's code frame (which would echo the client's text back). */
function firstLine(message: string): string {
  return (message.split('\n')[0] ?? '').replace(/:$/, '');
}
