import { changeKeys, newUuid, RestError, type KeyType } from '../../../core/index.js';
import {
  connectorFor,
  ProviderError,
  revokeAtProvider,
  type KeyManagerDefinition,
} from '../../../key-manager/external/index.js';
import { isUniqueViolation, keyMappingsRepository, type KeyMappingRow } from '../../../store/index.js';
import type { AuditActor } from '../../audit/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { keyMappingEvent } from './key-mapping-service.js';

/** WSO2 `ApplicationToken` as an external provider issued it. */
export interface ExternalToken {
  accessToken: string;
  tokenScopes: string[];
  validityTime: number;
}

/** The application a key operation is for. */
export interface KeyApplication {
  id: number;
  uuid: string;
  name: string;
  owner: string;
}

/**
 * `generate-keys` with an external key manager: registers a client at the provider, stores the key mapping
 * (consumer key = provider client id; the secret is returned once and never stored) and, when the grants allow
 * it, gets a first token from the provider (null when that fails: the keys exist and the secret must reach the
 * caller). Faults: UNSUPPORTED_OPERATION (app creation disabled, provider cannot register), VALIDATION_FAILED
 * (grant not offered), KEYS_ALREADY_GENERATED, BAD_GATEWAY (provider failed).
 */
export async function generateExternalKeys(
  ctx: ControlPlaneContext,
  km: KeyManagerDefinition,
  app: KeyApplication,
  input: {
    actor: AuditActor;
    keyType: KeyType;
    grantTypes: readonly string[];
    callbackUrl: string;
    scopes: readonly string[];
    validityPeriod?: number;
    properties: Record<string, unknown>;
  },
): Promise<{ mapping: KeyMappingRow; consumerSecret: string; token: ExternalToken | null }> {
  if (!km.enableOAuthAppCreation) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `Key manager ${km.name} does not create OAuth applications; map existing keys`,
    );
  }
  const grants = [...new Set(input.grantTypes)];
  const offered = grants.filter((g) => !km.availableGrantTypes.includes(g));
  if (offered.length > 0) {
    throw new RestError(
      'VALIDATION_FAILED',
      `Key manager ${km.name} does not offer the grant types: ${offered.join(', ')} (available: ${km.availableGrantTypes.join(', ')})`,
    );
  }
  const repo = keyMappingsRepository(ctx.store);
  if (await repo.find(app.id, input.keyType, km.name)) throw keysExist(input.keyType, km.name);
  const connector = connectorFor(km);
  const registered = await provider(km, () =>
    connector.registerClient({
      name: `${app.owner}_${app.name}_${input.keyType}`,
      grantTypes: grants,
      callbackUrl: input.callbackUrl,
      properties: input.properties,
    }),
  );
  const now = ctx.clock.now();
  const mapping: KeyMappingRow = {
    uuid: newUuid(),
    application_id: app.id,
    key_type: input.keyType,
    key_manager: km.name,
    consumer_key: registered.clientId,
    mode: 'CREATED',
    key_state: 'APPROVED',
    grant_types: JSON.stringify(grants),
    callback_url: input.callbackUrl,
    additional_properties: JSON.stringify(input.properties),
    created_at: now,
    updated_at: now,
  };
  try {
    await ctx.changes.write(async (trx, record) => {
      await keyMappingsRepository(trx).insert(mapping);
      record(changeKeys.keyMapping(mapping.key_manager, mapping.consumer_key));
      await ctx.audit.record(keyMappingEvent('oauth-keys.generated', input.actor, mapping), trx);
    });
  } catch (err) {
    // Do not leave an orphan client at the provider when the mapping cannot be stored.
    await connector.deleteClient?.(registered.clientId).catch(() => {});
    if (isUniqueViolation(err)) throw keysExist(input.keyType, km.name);
    throw err;
  }
  let token: ExternalToken | null = null;
  if (km.enableTokenGeneration && grants.includes('client_credentials')) {
    try {
      token = await externalToken(
        km,
        registered.clientId,
        registered.clientSecret,
        input.scopes,
        input.validityPeriod,
      );
    } catch (err) {
      ctx.logger.warn(
        { keyManager: km.name, err: String(err) },
        'first token from an external key manager failed',
      );
    }
  }
  return { mapping, consumerSecret: registered.clientSecret, token };
}

/**
 * `map-keys` with an external key manager: links an existing provider client after checking its credentials
 * at the provider (a client_credentials request; a client without that grant is accepted once it authenticated).
 * Faults: UNSUPPORTED_OPERATION (mapping disabled), INVALID_CONSUMER_SECRET, KEYS_ALREADY_GENERATED, BAD_GATEWAY.
 */
export async function mapExternalKeys(
  ctx: ControlPlaneContext,
  km: KeyManagerDefinition,
  app: KeyApplication,
  input: { actor: AuditActor; keyType: KeyType; consumerKey: string; consumerSecret: string },
): Promise<KeyMappingRow> {
  if (!km.enableMapOAuthConsumerApps) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `Key manager ${km.name} does not allow mapping existing OAuth applications`,
    );
  }
  const repo = keyMappingsRepository(ctx.store);
  if (await repo.findByConsumerKey(km.name, input.consumerKey)) {
    throw new RestError('KEYS_ALREADY_GENERATED', 'This consumer key is already mapped to an application');
  }
  if (await repo.find(app.id, input.keyType, km.name)) throw keysExist(input.keyType, km.name);
  const connector = connectorFor(km);
  try {
    await connector.getToken({ clientId: input.consumerKey, clientSecret: input.consumerSecret, scopes: [] });
  } catch (err) {
    if (!(err instanceof ProviderError) || err.kind !== 'rejected') throw toRestError(km, err);
  }
  const client = connector.retrieveClient
    ? await provider(km, () => connector.retrieveClient!(input.consumerKey))
    : null;
  const now = ctx.clock.now();
  const mapping: KeyMappingRow = {
    uuid: newUuid(),
    application_id: app.id,
    key_type: input.keyType,
    key_manager: km.name,
    consumer_key: input.consumerKey,
    mode: 'MAPPED',
    key_state: 'APPROVED',
    grant_types: JSON.stringify(client?.grantTypes ?? ['client_credentials']),
    callback_url: client?.callbackUrl ?? '',
    additional_properties: '{}',
    created_at: now,
    updated_at: now,
  };
  try {
    await ctx.changes.write(async (trx, record) => {
      await keyMappingsRepository(trx).insert(mapping);
      record(changeKeys.keyMapping(mapping.key_manager, mapping.consumer_key));
      await ctx.audit.record(keyMappingEvent('oauth-keys.mapped', input.actor, mapping), trx);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw keysExist(input.keyType, km.name);
    throw err;
  }
  return mapping;
}

/**
 * `generate-token` with an external key manager: a client_credentials token from the provider (the consumer
 * secret comes with the request: Portico does not keep it), optionally revoking `revokeToken` first.
 * Faults: UNSUPPORTED_OPERATION (token generation disabled), INVALID_CONSUMER_SECRET, BAD_GATEWAY.
 */
export async function externalToken(
  km: KeyManagerDefinition,
  consumerKey: string,
  consumerSecret: string,
  scopes: readonly string[],
  validityPeriod?: number,
  revokeToken?: string | null,
): Promise<ExternalToken> {
  if (!km.enableTokenGeneration) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `Key manager ${km.name} does not issue tokens through Portico`,
    );
  }
  if (revokeToken && km.revokeEndpoint !== '') {
    await provider(km, () =>
      revokeAtProvider(
        km.revokeEndpoint,
        { clientId: consumerKey, clientSecret: consumerSecret },
        revokeToken,
      ),
    );
  }
  const t = await provider(km, () =>
    connectorFor(km).getToken({
      clientId: consumerKey,
      clientSecret: consumerSecret,
      scopes,
      validityPeriod,
    }),
  );
  return { accessToken: t.accessToken, tokenScopes: t.scopes, validityTime: t.expiresIn };
}

/**
 * `regenerate-secret` with an external key manager. Faults: UNSUPPORTED_OPERATION (Keycloak and generic OIDC
 * providers cannot), BAD_GATEWAY.
 */
export async function regenerateExternalSecret(
  km: KeyManagerDefinition,
  consumerKey: string,
): Promise<string> {
  const connector = connectorFor(km);
  if (!connector.regenerateSecret) {
    throw new RestError(
      'UNSUPPORTED_OPERATION',
      `Key manager ${km.name} (${km.type}) does not support secret regeneration`,
    );
  }
  return provider(km, () => connector.regenerateSecret!(consumerKey));
}

/**
 * Removes the provider client of a deleted key mapping when Portico created it and the connector can; a provider
 * failure is logged, never blocks the deletion.
 */
export async function deleteExternalClient(
  ctx: ControlPlaneContext,
  km: KeyManagerDefinition,
  mapping: KeyMappingRow,
): Promise<void> {
  const connector = connectorFor(km);
  if (mapping.mode !== 'CREATED' || !connector.deleteClient) return;
  try {
    await connector.deleteClient(mapping.consumer_key);
  } catch (err) {
    ctx.logger.warn(
      { keyManager: km.name, err: String(err) },
      'could not delete the client at the external key manager',
    );
  }
}

async function provider<T>(km: KeyManagerDefinition, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw toRestError(km, err);
  }
}

function toRestError(km: KeyManagerDefinition, err: unknown): unknown {
  if (!(err instanceof ProviderError)) return err;
  if (err.kind === 'invalid_client') {
    return new RestError(
      'INVALID_CONSUMER_SECRET',
      `Key manager ${km.name} rejected the consumer key or secret`,
    );
  }
  if (err.kind === 'unsupported') return new RestError('UNSUPPORTED_OPERATION', err.message);
  return new RestError('BAD_GATEWAY', `Key manager ${km.name}: ${err.message}`);
}

function keysExist(keyType: string, km: string): RestError {
  return new RestError(
    'KEYS_ALREADY_GENERATED',
    `${keyType} keys are already generated for key manager ${km}`,
  );
}
