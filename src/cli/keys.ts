import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import type { Config, KeystoreConfig } from '../config/index.js';
import type { SigningKey } from '../control-plane/index.js';
import {
  createPrimaryKeystore,
  createTrustStore,
  KeystoreError,
  loadKeystore,
  loadTrustStore,
  type Keystore,
  type TrustStore,
} from '../crypto/index.js';
import { keystorePath, type HomePaths } from './home.js';
import { openGeneratedStore } from './open-generated-store.js';

/** The keys and trust store a server process runs with. */
export interface ServerKeys {
  primary: SigningKey;
  primaryKeystore: Keystore;
  apiKeySigner: SigningKey;
  trustStore: TrustStore;
}

export const DEFAULT_TRUST_ALIAS = 'gateway_certificate_alias';

/** Opens a configured keystore (PKCS12, JKS or PEM). @throws KeystoreError */
export function openKeystore(home: HomePaths, ks: KeystoreConfig): Promise<Keystore> {
  return loadKeystore({
    file: keystorePath(home, ks),
    type: ks.type,
    password: ks.password,
    alias: ks.alias,
    ...(ks.key_password ? { keyPassword: ks.key_password } : {}),
  });
}

function signingKey(ks: Keystore, alias: string, kidAlias = alias): SigningKey {
  return {
    alias: kidAlias,
    privateKey: ks.privateKey(alias),
    certificate: ks.certificate(alias),
    certificatePem: ks.certificatePem(alias),
  };
}

/**
 * Loads (creating on the first start) the primary keystore and the trust store, and resolves the API-key signer
 * from `[apim.devportal] api_key_keystore` / `api_key_alias`. Their passwords come from deployment.toml, else from
 * generated files under `resources/security/` (see {@link openGeneratedStore}); `logger` hears about migrations.
 * @throws KeystoreError with a one-line message (wrong password, missing alias, wrong type).
 */
export async function loadServerKeys(
  home: HomePaths,
  config: Readonly<Config>,
  logger?: Logger,
): Promise<ServerKeys> {
  const p = config.keystore.primary;
  const primaryFile = keystorePath(home, p);
  if (!existsSync(primaryFile) && p.type !== 'PKCS12') {
    throw new KeystoreError(
      'KEYSTORE_NOT_FOUND',
      primaryFile,
      'the primary keystore is missing (Portico only creates PKCS12 ones)',
    );
  }
  const primaryKeystore = await openGeneratedStore({
    what: 'primary keystore',
    file: primaryFile,
    type: p.type,
    configured: p.password,
    passwordFile: home.primaryKeystorePassword,
    create: (password) =>
      createPrimaryKeystore({
        file: primaryFile,
        password,
        alias: p.alias,
        hostname: config.server.hostname,
      }),
    open: (password) => openKeystore(home, { ...p, password }),
    logger,
  });
  const primary = signingKey(primaryKeystore, p.alias);

  const t = config.truststore;
  const trustFile = keystorePath(home, t);
  const trustStore = await openGeneratedStore({
    what: 'trust store',
    file: trustFile,
    type: t.type,
    configured: t.password,
    passwordFile: home.truststorePassword,
    create: (password) =>
      createTrustStore({
        file: trustFile,
        password,
        certs: { [DEFAULT_TRUST_ALIAS]: primary.certificatePem },
      }),
    open: (password) => loadTrustStore({ file: trustFile, type: t.type, password }),
    logger,
  });

  const dp = config.apim.devportal;
  let apiKeySigner: SigningKey;
  if (dp.api_key_keystore === 'KeyStore') {
    apiKeySigner = { ...primary, alias: dp.api_key_alias };
  } else {
    const custom = config.custom_keystore[dp.api_key_keystore];
    if (!custom) {
      throw new KeystoreError(
        'KEYSTORE_NOT_FOUND',
        'deployment.toml',
        `[apim.devportal] api_key_keystore names "${dp.api_key_keystore}" but there is no [custom_keystore.${dp.api_key_keystore}]`,
      );
    }
    const ks = await openKeystore(home, custom);
    apiKeySigner = signingKey(ks, custom.alias, dp.api_key_alias);
  }
  return { primary, primaryKeystore, apiKeySigner, trustStore };
}
