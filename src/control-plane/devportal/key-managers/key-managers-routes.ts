import type { FastifyInstance } from 'fastify';
import { createHash } from 'node:crypto';
import { RESIDENT_KEY_MANAGER } from '../../../key-manager/index.js';
import { keyManagersRepository } from '../../../store/index.js';
import { residentKeyManagerOf } from '../../oauth2/index.js';
import type { ControlPlaneContext } from '../../context.js';
import { DEVPORTAL_BASE } from '../devportal-base.js';

/** Stable id of the resident key manager (derived from its name: the same on every control plane). */
export const RESIDENT_KEY_MANAGER_ID = uuidFromName(RESIDENT_KEY_MANAGER);

/** Resolves a `keyManager` request field (name or id) to a key manager name, or null when unknown. */
export function residentKeyManagerName(value: string | undefined): string | null {
  if (value === undefined || value === RESIDENT_KEY_MANAGER || value === RESIDENT_KEY_MANAGER_ID) {
    return RESIDENT_KEY_MANAGER;
  }
  return null;
}

interface KeyManagerDefinition {
  displayName?: string;
  description?: string;
  availableGrantTypes?: string[];
  tokenEndpoint?: string;
  revokeEndpoint?: string;
  userInfoEndpoint?: string;
  enableTokenGeneration?: boolean;
  enableTokenEncryption?: boolean;
  enableTokenHashing?: boolean;
  enableOAuthAppCreation?: boolean;
  enableMapOAuthConsumerApps?: boolean;
  applicationConfiguration?: unknown[];
  alias?: string;
  tokenType?: string;
}

/**
 * `GET /key-managers` (WSO2 `KeyManagerList`): the resident key manager, then enabled rows of `key_managers`.
 * Connector secrets in a definition are never returned (only the listed public fields are copied).
 */
export function keyManagersRoutes(app: FastifyInstance, ctx: ControlPlaneContext): void {
  app.get(`${DEVPORTAL_BASE}/key-managers`, { config: { scopes: ['apim:subscribe'] } }, async () => {
    const km = residentKeyManagerOf(ctx);
    const resident = {
      id: RESIDENT_KEY_MANAGER_ID,
      name: RESIDENT_KEY_MANAGER,
      type: 'default',
      displayName: RESIDENT_KEY_MANAGER,
      description: 'This is Resident Key Manager',
      enabled: true,
      availableGrantTypes: km.enabledGrantTypes(),
      tokenEndpoint: `${ctx.urls.controlPlane}/oauth2/token`,
      revokeEndpoint: `${ctx.urls.controlPlane}/oauth2/revoke`,
      userInfoEndpoint: '',
      enableTokenGeneration: true,
      enableTokenEncryption: false,
      enableTokenHashing: true,
      enableOAuthAppCreation: true,
      enableMapOAuthConsumerApps: true,
      applicationConfiguration: [],
      alias: '',
      additionalProperties: {},
      tokenType: 'DIRECT',
    };
    const rows = await keyManagersRepository(ctx.store).listEnabled();
    const external = rows
      .filter((r) => r.name !== RESIDENT_KEY_MANAGER)
      .map((r) => {
        let d: KeyManagerDefinition = {};
        try {
          d = JSON.parse(r.definition) as KeyManagerDefinition;
        } catch {
          // A broken definition still lists the manager by name.
        }
        return {
          id: r.uuid,
          name: r.name,
          type: r.type,
          displayName: d.displayName ?? r.name,
          description: d.description ?? '',
          enabled: true,
          availableGrantTypes: d.availableGrantTypes ?? [],
          tokenEndpoint: d.tokenEndpoint ?? '',
          revokeEndpoint: d.revokeEndpoint ?? '',
          userInfoEndpoint: d.userInfoEndpoint ?? '',
          enableTokenGeneration: d.enableTokenGeneration ?? true,
          enableTokenEncryption: d.enableTokenEncryption ?? false,
          enableTokenHashing: d.enableTokenHashing ?? false,
          enableOAuthAppCreation: d.enableOAuthAppCreation ?? true,
          enableMapOAuthConsumerApps: d.enableMapOAuthConsumerApps ?? false,
          applicationConfiguration: d.applicationConfiguration ?? [],
          alias: d.alias ?? '',
          additionalProperties: {},
          tokenType: d.tokenType ?? 'DIRECT',
        };
      });
    const list = [resident, ...external];
    return { count: list.length, list };
  });
}

function uuidFromName(name: string): string {
  const h = createHash('sha256').update(`portico:key-manager:${name}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
