import { RestError } from '../../../core/index.js';
import { projectText, readProjectDocument, type ProjectFiles } from '../../project-archive/index.js';
import { isObject } from '../api-dto-fields.js';
import { parseDefinitionText } from '../definition-text.js';
import type { LifecycleStatus } from '../lifecycle.js';
import { fromOpenApi } from '../openapi.js';
import { DEFAULT_ENVIRONMENT, parseDeploymentBody } from '../revision-service.js';

const STATES: readonly LifecycleStatus[] = [
  'CREATED',
  'PROTOTYPED',
  'PUBLISHED',
  'BLOCKED',
  'DEPRECATED',
  'RETIRED',
];
const DEFINITIONS = ['swagger.yaml', 'swagger.yml', 'swagger.json'].map((n) => `Definitions/${n}`);
const KNOWN_FILES = new Set([
  ...DEFINITIONS,
  ...['api', 'deployment_environments'].flatMap((b) => ['yaml', 'yml', 'json'].map((e) => `${b}.${e}`)),
]);

/** What an API project holds, read and checked (the DTO is validated by the service against the store). */
export interface ApiProject {
  /** `data` of api.yaml: the API DTO, with operations and scopes from the definition when it lists none. */
  dto: Record<string, unknown>;
  lifecycle: LifecycleStatus;
  /** The vhost of the `Default` environment when the project is deployed there; null when not deployed. */
  deployVhost: string | null;
}

/**
 * Reads `api.yaml`/`api.json`, `Definitions/swagger.*` and `deployment_environments.*` of an apictl API project.
 * Faults: 400 PROJECT_INVALID (no api.yaml, wrong type or version, bad data, unknown lifecycle state),
 * INVALID_DEFINITION (a document that does not parse, a definition that is not OpenAPI), VALIDATION_FAILED
 * (an unknown gateway environment or vhost).
 */
export function readApiProject(project: ProjectFiles): ApiProject {
  refuseUnsupportedFiles(project);
  const doc = readProjectDocument(project, 'api', 'api');
  if (!doc) throw new RestError('PROJECT_INVALID', 'The project has no api.yaml (or api.json)');
  if (!isObject(doc.data)) throw new RestError('PROJECT_INVALID', 'api.yaml data must be an API object');
  const dto: Record<string, unknown> = { ...doc.data };
  refuseEndpointSecurity(dto.endpointConfig);
  const definitionFiles = DEFINITIONS.filter((n) => project.files.has(n));
  if (definitionFiles.length > 1)
    throw new RestError('PROJECT_INVALID', `The project holds ${definitionFiles.join(' and ')}; keep one`);
  const definitionFile = definitionFiles[0];
  if (definitionFile) {
    const definition = fromOpenApi(parseDefinitionText(projectText(project, definitionFile), definitionFile));
    // WSO2 lists the operations in api.yaml too; a hand-written project may give them only in the definition.
    if (!Array.isArray(dto.operations) || dto.operations.length === 0) dto.operations = definition.operations;
    if ((!Array.isArray(dto.scopes) || dto.scopes.length === 0) && definition.scopes.length > 0)
      dto.scopes = definition.scopes;
  }
  const lifecycle = dto.lifeCycleStatus === undefined ? 'CREATED' : String(dto.lifeCycleStatus).toUpperCase();
  if (!STATES.includes(lifecycle as LifecycleStatus))
    throw new RestError(
      'PROJECT_INVALID',
      `api.yaml has an unknown lifeCycleStatus ${JSON.stringify(lifecycle)}`,
    );
  return { dto, lifecycle: lifecycle as LifecycleStatus, deployVhost: deploymentOf(project) };
}

/** The Default environment's vhost from deployment_environments.yaml (WSO2: deploymentEnvironment, deploymentVhost). */
function deploymentOf(project: ProjectFiles): string | null {
  const doc = readProjectDocument(project, 'deployment_environments', 'deployment_environments');
  if (!doc || doc.data === null || (Array.isArray(doc.data) && doc.data.length === 0)) return null;
  if (!Array.isArray(doc.data) || !doc.data.every(isObject))
    throw new RestError('PROJECT_INVALID', 'deployment_environments.yaml data must be a list of deployments');
  const body = doc.data.map((d) => ({
    name: d.deploymentEnvironment,
    ...(d.deploymentVhost !== undefined && d.deploymentVhost !== null && d.deploymentVhost !== ''
      ? { vhost: d.deploymentVhost }
      : {}),
  }));
  const { vhost } = parseDeploymentBody(body);
  return body.some((b) => b.name === DEFAULT_ENVIRONMENT) ? vhost : null;
}

/**
 * Files of WSO2 features Portico does not have (documents, thumbnails, mediation and operation policies,
 * certificates, GraphQL/WSDL/async definitions) are refused by name rather than dropped.
 * @throws RestError UNSUPPORTED_FIELD
 */
function refuseUnsupportedFiles(project: ProjectFiles): void {
  const unknown = [...project.files.keys()].filter((n) => !KNOWN_FILES.has(n)).sort();
  if (unknown.length === 0) return;
  const problems = unknown.slice(0, 20).map((n) => ({
    code: 'UNSUPPORTED_FIELD',
    message: `${n} is not supported by Portico (it imports api.yaml, Definitions/swagger.yaml and deployment_environments.yaml); remove it`,
  }));
  throw new RestError('UNSUPPORTED_FIELD', problems.map((p) => p.message).join('; '), problems);
}

/** WSO2's backend credentials (`endpoint_security`) have no place in Portico: refused when switched on. */
function refuseEndpointSecurity(config: unknown): void {
  const security = isObject(config) ? config.endpoint_security : undefined;
  if (!isObject(security)) return;
  const on = Object.entries(security).filter(([, v]) => isObject(v) && v.enabled === true);
  if (on.length)
    throw new RestError(
      'UNSUPPORTED_FIELD',
      `endpointConfig.endpoint_security (${on.map(([k]) => k).join(', ')}) is not supported by Portico; backend credentials are not imported`,
      [
        {
          code: 'UNSUPPORTED_FIELD',
          message: 'endpointConfig.endpoint_security is not supported by Portico',
        },
      ],
    );
}
