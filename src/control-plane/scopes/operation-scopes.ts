import { WSO2_OPERATION_SCOPES } from './wso2-rest-scopes.generated.js';

const pathShape = (url: string) => url.replace(/:[A-Za-z0-9_]+/g, '{}');

/**
 * The scopes a route needs: for a Publisher, Admin or Developer Portal operation WSO2's OpenAPI documents define,
 * the scopes of its `security` (one of them is enough, as in WSO2); otherwise what the route declared
 * (`declared`, undefined = public). A route Portico keeps public, or one WSO2 makes public, stays as declared:
 * WSO2's public operations are those Portico answers anonymously too.
 */
export function operationScopes(
  method: string,
  url: string,
  declared: readonly string[] | undefined,
): readonly string[] | undefined {
  if (declared === undefined) return undefined;
  const m = method.toUpperCase();
  const spec =
    WSO2_OPERATION_SCOPES[`${m} ${pathShape(url)}`] ??
    // Fastify's HEAD twin of a GET route: WSO2's GET scopes unless the document has its own HEAD.
    (m === 'HEAD' ? WSO2_OPERATION_SCOPES[`GET ${pathShape(url)}`] : undefined);
  return spec ?? declared;
}
