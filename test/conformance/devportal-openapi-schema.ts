import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Ajv from 'ajv';

/**
 * Validates Developer Portal response bodies against WSO2's published OpenAPI document
 * (`../shared/design/wso2-openapi/devportal-api.json`, or `/work/shared/...`) with ajv.
 * Two deliberate relaxations: a property whose value is JSON `null` is checked as absent (WSO2's Java DTOs
 * serialize unset optional fields as null, e.g. `callbackUrl`, `groupId`, and the document has no `nullable`), and
 * `ConsumerSecret.additionalProperties` declares every value an object, which WSO2's own example
 * (`expiresAt: 1761568483`, `description: "..."`) violates; there any JSON value is accepted.
 */
export function devportalSchemaCheck(): (schema: string, body: unknown) => void {
  return wso2SchemaCheck('devportal-api.json');
}

/** WSO2's OpenAPI documents (`../shared/design/wso2-openapi/`). */
export type Wso2OpenApiDocument = 'devportal-api.json' | 'publisher-api.json' | 'admin-api.json';

/**
 * Validates response bodies against a schema of one of WSO2's OpenAPI documents (`components/schemas/<name>`),
 * with the relaxations of {@link devportalSchemaCheck}.
 * @example wso2SchemaCheck('publisher-api.json')('OpenAPIDefinitionValidationResponse', res.json())
 */
export function wso2SchemaCheck(file: Wso2OpenApiDocument): (schema: string, body: unknown) => void {
  const doc = JSON.parse(readFileSync(openApiPath(file), 'utf8')) as {
    components: {
      schemas: Record<string, { properties?: Record<string, { additionalProperties?: unknown }> }>;
    };
  };
  const secretProps = doc.components.schemas.ConsumerSecret?.properties?.additionalProperties;
  if (secretProps) secretProps.additionalProperties = {};
  const ajv = new Ajv({ allErrors: true, unknownFormats: 'ignore', logger: false });
  ajv.addSchema(doc, 'wso2');
  return (schema, body) => {
    const validate = ajv.getSchema(`wso2#/components/schemas/${schema}`);
    assert.ok(validate, `schema ${schema} exists in ${file}`);
    const ok = validate(withoutNulls(body));
    assert.ok(ok, `${schema}: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body)}`);
  };
}

function openApiPath(file: Wso2OpenApiDocument): string {
  const candidates = [
    new URL(`../../../shared/design/wso2-openapi/${file}`, import.meta.url),
    new URL(`file:///work/shared/design/wso2-openapi/${file}`),
  ];
  for (const c of candidates) {
    try {
      readFileSync(c);
      return c.pathname;
    } catch {
      // next
    }
  }
  throw new Error(`${file} not found (../shared/design/wso2-openapi/)`);
}

function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}
