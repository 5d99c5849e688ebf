import { RestError } from '../../../core/index.js';
import {
  SECRET_HASH_RE,
  SUPPORTED_GRANTS,
  transferredSecretOf,
  type TransferredSecret,
} from '../../../key-manager/index.js';
import { checkParsedInput } from '../../http/input-guard.js';
import { readProjectDocument, type ProjectFiles } from '../../project-archive/index.js';
import { isObject } from '../../publisher/api-dto-fields.js';
import { residentKeyManagerName } from '../key-managers/key-managers-routes.js';
import type { ApplicationInput } from '../applications/applications-service.js';

/** A subscription of the exported application: the API by provider, name and version, and its tier. */
export interface ProjectSubscription {
  providerName: string;
  apiName: string;
  version: string;
  throttlingPolicy: string;
  status: 'UNBLOCKED' | 'BLOCKED' | 'PROD_ONLY_BLOCKED';
}

/** A key mapping of the exported application (resident key manager only). */
export interface ProjectKey {
  keyType: 'PRODUCTION' | 'SANDBOX';
  consumerKey: string;
  grantTypes: string[];
  callbackUrl: string;
  additionalProperties: Record<string, unknown>;
  secrets: TransferredSecret[];
}

/** What an application project holds, checked. */
export interface ApplicationProject {
  owner: string | undefined;
  input: ApplicationInput;
  subscriptions: ProjectSubscription[];
  keys: ProjectKey[];
}

const MAX_ITEMS = 500;
const CONSUMER_KEY_RE = /^[A-Za-z0-9_.~-]{1,255}$/;
const SUB_STATES = ['UNBLOCKED', 'BLOCKED', 'PROD_ONLY_BLOCKED'] as const;

/**
 * Reads `application.yaml` (or .json) of an apictl application project, as WSO2 API Manager 4.x or Portico
 * writes it. Of `keyManagerWiseOAuthApp` only the resident key manager's keys are taken; a consumer secret comes
 * as WSO2's `clientSecret` or Portico's `clientSecretHashes`. Grant types Portico does not implement (WSO2 lists
 * saml2-bearer, iwa:ntlm, ... by default) are left out: no token could be issued for them here.
 * Faults: 400 PROJECT_INVALID (no application.yaml, wrong type or version, a field of the wrong shape),
 * INVALID_DEFINITION (not YAML/JSON), VALIDATION_FAILED (a key of another key manager, a key without secret).
 */
export function readApplicationProject(project: ProjectFiles): ApplicationProject {
  const doc = readProjectDocument(project, 'application', 'application');
  if (!doc)
    throw new RestError('PROJECT_INVALID', 'The project has no application.yaml (or application.json)');
  const data = doc.data;
  if (!isObject(data) || !isObject(data.applicationInfo))
    throw invalid('data.applicationInfo must be an Application object');
  const info = data.applicationInfo;
  const name = text(info.name, 'applicationInfo.name', 100);
  if (!/\S/.test(name)) throw invalid('applicationInfo.name must not be blank');
  const tokenType = info.tokenType === undefined || info.tokenType === null ? undefined : info.tokenType;
  if (tokenType !== undefined && tokenType !== 'JWT' && tokenType !== 'OAUTH')
    throw invalid('applicationInfo.tokenType must be JWT or OAUTH');
  const groups = info.groups === undefined || info.groups === null ? [] : info.groups;
  if (
    !Array.isArray(groups) ||
    groups.length > 20 ||
    !groups.every((g) => typeof g === 'string' && g.length <= 100)
  )
    throw invalid('applicationInfo.groups must be a list of at most 20 names');
  const attributes = info.attributes === undefined || info.attributes === null ? {} : info.attributes;
  if (!isObject(attributes) || Object.values(attributes).some((v) => typeof v !== 'string'))
    throw invalid('applicationInfo.attributes must map names to strings');
  return {
    owner:
      info.owner === undefined || info.owner === null
        ? undefined
        : text(info.owner, 'applicationInfo.owner', 100),
    input: {
      name: name.trim(),
      throttlingPolicy: text(info.throttlingPolicy, 'applicationInfo.throttlingPolicy', 100),
      description:
        info.description === undefined || info.description === null
          ? ''
          : text(info.description, 'applicationInfo.description', 512, true),
      groups: groups as string[],
      attributes: attributes as Record<string, string>,
      tokenType,
    },
    subscriptions: list(data.subscribedAPIs, 'subscribedAPIs').map(subscriptionOf),
    keys: keysOf(data.keyManagerWiseOAuthApp),
  };
}

function subscriptionOf(s: unknown, i: number): ProjectSubscription {
  const at = `subscribedAPIs[${i}]`;
  if (!isObject(s) || !isObject(s.apiId)) throw invalid(`${at}.apiId must name the API`);
  // WSO2 writes the tier as throttlingPolicy (4.x) or tier.name (older exports).
  const tier = s.throttlingPolicy ?? (isObject(s.tier) ? s.tier.name : undefined);
  const status = s.subStatus ?? 'UNBLOCKED';
  if (!SUB_STATES.includes(status as (typeof SUB_STATES)[number]))
    throw invalid(`${at}.subStatus must be one of ${SUB_STATES.join(', ')}`);
  return {
    providerName: text(s.apiId.providerName, `${at}.apiId.providerName`, 100),
    apiName: text(s.apiId.apiName, `${at}.apiId.apiName`, 100),
    version: text(s.apiId.version, `${at}.apiId.version`, 100),
    throttlingPolicy: text(tier, `${at}.throttlingPolicy`, 100),
    status: status as ProjectSubscription['status'],
  };
}

function keysOf(v: unknown): ProjectKey[] {
  if (v === undefined || v === null) return [];
  if (!isObject(v)) throw invalid('keyManagerWiseOAuthApp must map key types to key managers');
  const out: ProjectKey[] = [];
  for (const [keyType, byManager] of Object.entries(v)) {
    if (keyType !== 'PRODUCTION' && keyType !== 'SANDBOX')
      throw invalid(`keyManagerWiseOAuthApp has an unknown key type ${JSON.stringify(keyType.slice(0, 40))}`);
    if (!isObject(byManager))
      throw invalid(`keyManagerWiseOAuthApp.${keyType} must map key managers to keys`);
    for (const [manager, app] of Object.entries(byManager)) {
      const at = `keyManagerWiseOAuthApp.${keyType}[${JSON.stringify(manager.slice(0, 60))}]`;
      if (!residentKeyManagerName(manager))
        throw new RestError(
          'VALIDATION_FAILED',
          `${at}: keys of key manager ${manager.slice(0, 60)} cannot be imported (only the Resident Key Manager's); import with skipApplicationKeys=true`,
        );
      if (!isObject(app)) throw invalid(`${at} must be an OAuth application`);
      out.push(keyOf(keyType, app, at));
    }
  }
  return out;
}

function keyOf(keyType: 'PRODUCTION' | 'SANDBOX', app: Record<string, unknown>, at: string): ProjectKey {
  const consumerKey = text(app.clientId, `${at}.clientId`, 255);
  if (!CONSUMER_KEY_RE.test(consumerKey)) throw invalid(`${at}.clientId is not a consumer key`);
  const params = isObject(app.parameters) ? app.parameters : {};
  const rawGrants = params.grant_types ?? app.grantTypes ?? [];
  const grants = (Array.isArray(rawGrants) ? rawGrants : String(rawGrants).split(/[\s,]+/)).filter(
    (g): g is string => typeof g === 'string' && (SUPPORTED_GRANTS as readonly string[]).includes(g),
  );
  if (grants.length === 0)
    throw invalid(`${at} allows none of the grant types Portico implements (${SUPPORTED_GRANTS.join(', ')})`);
  const props = params.additionalProperties ?? {};
  const additionalProperties = typeof props === 'string' ? parseObject(props, at) : props;
  if (!isObject(additionalProperties))
    throw invalid(`${at}.parameters.additionalProperties must be an object`);
  // A JSON string parsed here obeys the same text rules as the rest of the document.
  checkParsedInput(additionalProperties, `${at}.parameters.additionalProperties`, { document: false });
  const callback = app.callBackURL ?? app.callbackUrl ?? '';
  return {
    keyType,
    consumerKey,
    grantTypes: [...new Set(grants)],
    callbackUrl: callback === null ? '' : text(callback, `${at}.callBackURL`, 2048, true),
    additionalProperties,
    secrets: secretsOf(app, at),
  };
}

function secretsOf(app: Record<string, unknown>, at: string): TransferredSecret[] {
  if (app.clientSecretHashes !== undefined) {
    return list(app.clientSecretHashes, `${at}.clientSecretHashes`).map((s, i) => {
      const where = `${at}.clientSecretHashes[${i}]`;
      if (!isObject(s) || typeof s.hash !== 'string' || !SECRET_HASH_RE.test(s.hash))
        throw invalid(`${where}.hash must be a consumer secret hash (sha256:...)`);
      const expiresAt = s.expiresAt ?? null;
      if (expiresAt !== null && (typeof expiresAt !== 'number' || !Number.isSafeInteger(expiresAt)))
        throw invalid(`${where}.expiresAt must be epoch milliseconds or null`);
      return {
        hash: s.hash,
        hint: s.hint === undefined ? '' : text(s.hint, `${where}.hint`, 4, true),
        description:
          s.description === undefined ? '' : text(s.description, `${where}.description`, 255, true),
        expiresAt,
      };
    });
  }
  if (typeof app.clientSecret === 'string' && app.clientSecret.length > 0 && app.clientSecret.length <= 512)
    return [transferredSecretOf(app.clientSecret)];
  throw new RestError(
    'VALIDATION_FAILED',
    `${at} has no consumer secret (clientSecret or clientSecretHashes); export with withKeys=true or import with skipApplicationKeys=true`,
  );
}

function list(v: unknown, at: string): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > MAX_ITEMS)
    throw invalid(`${at} must be a list of at most ${MAX_ITEMS}`);
  return v;
}

function text(v: unknown, at: string, max: number, emptyOk = false): string {
  if (typeof v !== 'string' || v.length > max || (!emptyOk && v.length === 0))
    throw invalid(`${at} must be a string of ${emptyOk ? 0 : 1}-${max} characters`);
  return v;
}

function parseObject(s: string, at: string): unknown {
  try {
    return JSON.parse(s) as unknown;
  } catch {
    throw invalid(`${at}.parameters.additionalProperties must be a JSON object`);
  }
}

function invalid(message: string): RestError {
  return new RestError('PROJECT_INVALID', `application.yaml: ${message}`);
}
