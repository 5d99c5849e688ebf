import { RestError } from '../../../core/index.js';
import { exportClientSecrets, RESIDENT_KEY_MANAGER } from '../../../key-manager/index.js';
import {
  apisRepository,
  applicationsRepository,
  keyMappingsRepository,
  subscriptionsRepository,
  type Queryable,
} from '../../../store/index.js';
import {
  PROJECT_VERSION,
  extensionOf,
  formatDocument,
  safeFileName,
  writeProjectArchive,
  type ExportedProject,
  type ProjectFormat,
} from '../../project-archive/index.js';
import { applicationDto } from '../applications/application-dto.js';

/** Which application to export and how. */
export interface ApplicationExportQuery {
  appName: string;
  appOwner: string;
  /** Include the key mappings (consumer keys, and their secrets as hashes). */
  withKeys: boolean;
  format: ProjectFormat;
}

/**
 * The application as apictl exports it: `<owner>-<name>/application.yaml` (`type: application`, `data`:
 * `applicationInfo` (the Application DTO), `subscribedAPIs` (each API by provider, name and version, with its
 * tier) and, with `withKeys`, `keyManagerWiseOAuthApp` (key type → key manager → OAuth app)).
 * WSO2 puts the consumer secret itself in `clientSecret`; Portico has only its hash and exports that as
 * `clientSecretHashes` (see ADR 0008): the importing Portico accepts the same secret, and nobody reading the zip
 * learns it. Keys of external key managers and API keys are not exported (docs/wso2-compatibility.md).
 * Faults: 404 APPLICATION_NOT_FOUND.
 */
export async function exportApplication(
  db: Queryable,
  q: ApplicationExportQuery,
  now: number,
): Promise<ExportedProject> {
  const app = await applicationsRepository(db).findByOwnerAndName(q.appOwner, q.appName);
  if (!app)
    throw new RestError('APPLICATION_NOT_FOUND', `Application ${q.appName} of ${q.appOwner} not found`);
  const subscriptions = await subscriptionsRepository(db).listByApplication(app.id);
  const subscribedAPIs = [];
  for (const s of subscriptions) {
    const api = await apisRepository(db).findById(s.api_id);
    if (!api) continue;
    subscribedAPIs.push({
      apiId: { providerName: api.provider, apiName: api.name, version: api.version },
      throttlingPolicy: s.policy,
      subStatus: s.status,
    });
  }
  const keys: Record<string, Record<string, unknown>> = {};
  if (q.withKeys) {
    for (const m of await keyMappingsRepository(db).listByApplication(app.id)) {
      if (m.key_manager !== RESIDENT_KEY_MANAGER) continue;
      const grants = JSON.parse(m.grant_types) as string[];
      (keys[m.key_type] ??= {})[m.key_manager] = {
        clientId: m.consumer_key,
        clientName: `${app.owner}_${app.name}_${m.key_type}`,
        callBackURL: m.callback_url,
        keyType: m.key_type,
        parameters: {
          grant_types: grants.join(' '),
          additionalProperties: JSON.parse(m.additional_properties) as unknown,
        },
        clientSecretHashes: await exportClientSecrets(db, m.consumer_key, now),
      };
    }
  }
  const info = applicationDto(app, subscriptions.length, []);
  const data = { applicationInfo: info, subscribedAPIs, keyManagerWiseOAuthApp: keys };
  const ext = extensionOf(q.format);
  return {
    fileName: safeFileName(`${app.owner}_${app.name}.zip`),
    zip: writeProjectArchive(`${app.owner}-${app.name}`, {
      [`application.${ext}`]: formatDocument(
        { type: 'application', version: PROJECT_VERSION, data },
        q.format,
      ),
    }),
  };
}
