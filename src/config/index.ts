export { ConfigSchema, KeystoreSchema } from './schema.js';
export type { Config, KeystoreConfig } from './schema.js';
export { ConfigError } from './config-error.js';
export { parseConfig, loadConfigFile, homeFromEnv } from './load-config.js';
export { renderConfigDocs, renderConfigTemplate, describeConfigKeys } from './config-docs.js';
export type { ConfigKeyDoc } from './config-docs.js';
export { parseDuration } from './duration.js';
export { gatewayControlPlaneUrls } from './gateway-control-plane-urls.js';
