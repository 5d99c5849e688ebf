import { RestError } from '../../../core/index.js';
import {
  RESIDENT_KEY_MANAGER,
  SUPPORTED_GRANTS,
  type ResidentKeyManager,
} from '../../../key-manager/index.js';
import { keyMappingsRepository, type ApplicationRow, type KeyMappingRow } from '../../../store/index.js';
import type { AuditAction, AuditActor, AuditEventInput } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { ownedApplication } from '../applications/owned-application.js';
import { residentKeyManagerName } from '../key-managers/key-managers-routes.js';
import type { ApplicationTokenDto } from './application-key-dto.js';

/** The resident key manager name for a request's `keyManager`. @throws RestError UNSUPPORTED_OPERATION otherwise. */
export function requireResidentKeyManager(value: string | undefined): string {
  const name = residentKeyManagerName(value);
  if (!name) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `Key manager ${value ?? ''} cannot generate or map keys here; use the Resident Key Manager`,
    );
  }
  return name;
}

/** Validates grant types against what the resident key manager implements. @throws RestError VALIDATION_FAILED */
export function checkGrants(grants: readonly string[]): string[] {
  const unknown = grants.filter((g) => !(SUPPORTED_GRANTS as readonly string[]).includes(g));
  if (unknown.length > 0) {
    throw new RestError(
      'VALIDATION_FAILED',
      `Unsupported grant types: ${unknown.join(', ')} (available: ${SUPPORTED_GRANTS.join(', ')})`,
    );
  }
  return [...new Set(grants)];
}

/** `additionalProperties` as an object (WSO2 clients send an object or its JSON text). */
export function propertiesOf(v: Record<string, unknown> | string | undefined): Record<string, unknown> {
  if (v === undefined || v === '') return {};
  if (typeof v !== 'string') return v;
  try {
    const parsed = JSON.parse(v) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new RestError('VALIDATION_FAILED', 'additionalProperties must be a JSON object');
}

/** A key mapping of the application. @throws RestError KEY_MAPPING_NOT_FOUND */
export async function mappingOf(
  ctx: ControlPlaneContext,
  applicationId: number,
  keyMappingId: string,
): Promise<KeyMappingRow> {
  const m = await keyMappingsRepository(ctx.store).findByUuid(keyMappingId);
  if (!m || m.application_id !== applicationId) {
    throw new RestError('KEY_MAPPING_NOT_FOUND', `Key mapping ${keyMappingId} not found`);
  }
  return m;
}

/** Path parameters naming one key: by id (`oauth-keys/{keyMappingId}`) or, deprecated, by type (`keys/{keyType}`). */
export type KeyPathParams = { applicationId: string } & ({ keyMappingId: string } | { keyType: string });

/**
 * The caller's application and one of its key mappings, from the route's path parameters. `keys/{keyType}` (WSO2's
 * deprecated family) names the Resident Key Manager's mapping of that type.
 * @throws RestError APPLICATION_NOT_FOUND (not the caller's), KEY_MAPPING_NOT_FOUND
 */
export async function ownedMapping(
  ctx: ControlPlaneContext,
  params: KeyPathParams,
  username: string,
): Promise<{ appRow: ApplicationRow; m: KeyMappingRow }> {
  const appRow = await ownedApplication(ctx.store, params.applicationId, username);
  if ('keyMappingId' in params) return { appRow, m: await mappingOf(ctx, appRow.id, params.keyMappingId) };
  const m = await keyMappingsRepository(ctx.store).find(appRow.id, params.keyType, RESIDENT_KEY_MANAGER);
  if (!m)
    throw new RestError('KEY_MAPPING_NOT_FOUND', `No ${params.keyType} keys of the Resident Key Manager`);
  return { appRow, m };
}

/** Issues an application (client_credentials) token for the Developer Portal. */
export async function applicationToken(
  km: ResidentKeyManager,
  consumerKey: string,
  scopes: readonly string[],
  validitySeconds: number | undefined,
): Promise<ApplicationTokenDto> {
  const client = await km.getClient(consumerKey);
  if (!client) throw new RestError('KEY_MAPPING_NOT_FOUND', 'The OAuth client of this key mapping is gone');
  if (!client.grantTypes.includes('client_credentials')) {
    throw new RestError('UNSUPPORTED_OPERATION', 'The keys do not allow the client_credentials grant');
  }
  const t = await km.applicationToken(client, scopes, validitySeconds);
  return { accessToken: t.access_token, tokenScopes: t.scope.split(' '), validityTime: t.expires_in };
}

/** The audit event of a key-mapping change: the OAuth client (consumer key, never its secret) is the target. */
export function keyMappingEvent(
  action: AuditAction,
  actor: AuditActor,
  m: Pick<KeyMappingRow, 'uuid' | 'consumer_key' | 'key_type' | 'key_manager' | 'mode'>,
  details: AuditEventInput['details'] = {},
): AuditEventInput {
  return {
    action,
    actor,
    target: { type: 'oauth-client', id: m.consumer_key },
    details: {
      keyMappingId: m.uuid,
      keyType: m.key_type,
      keyManager: m.key_manager,
      mode: m.mode,
      ...details,
    },
  };
}
