import { X509Certificate, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import {
  gatewayPathOf,
  type SnapshotApi,
  type SnapshotKeyManager,
  type SnapshotSubscription,
} from '../../core/index.js';
import { isJwsAlgorithm } from '../../crypto/jws/index.js';
import { compileCors } from '../cors/cors-policy.js';
import type { CompiledApi, CompiledKeyManager, Upstream, VerificationKey } from './compiled-snapshot.js';

/** The pieces of a compiled snapshot that are built from one entity each (shared by full compiles and deltas). */

const REALM = 'realm="WSO2 API Manager"';

export function compileApiBase(
  api: SnapshotApi,
  subscriptionsByApp: ReadonlyMap<number, SnapshotSubscription>,
  logger: Logger,
): Omit<CompiledApi, 'resources'> {
  const usesOAuth2 = api.securitySchemes.includes('oauth2');
  const usesApiKey = api.securitySchemes.includes('api_key');
  const challenges: string[] = [];
  if (usesOAuth2) challenges.push(`OAuth2 ${REALM}`);
  if (usesApiKey) challenges.push(`API Key ${REALM}`);
  challenges.push('error="invalid_token"', 'error_description="The provided token is invalid"');
  return {
    api,
    contextVersion: gatewayPathOf(api.context, api.version),
    blocked: api.lifecycle === 'BLOCKED',
    subscriptionsByApp,
    subscriptionlessTier: api.subscriptionlessTier ?? null,
    challenge: challenges.join(', '),
    apiKeyHeader: usesApiKey ? (api.apiKeyHeader || 'apikey').toLowerCase() : null,
    usesOAuth2,
    production: parseUpstream(api.endpoints.production, api, logger),
    sandbox: parseUpstream(api.endpoints.sandbox, api, logger),
    cors: api.cors ? compileCors({ enabled: true, ...api.cors }) : null,
    hasOptionsResource: api.resources.some((r) => r.verb === 'OPTIONS'),
    allowedKeyManagers: allowedKeyManagers(api.keyManagers),
  };
}

/**
 * `SnapshotApi.keyManagers` as a set; null when the API accepts every key manager (`all`, the default, also when
 * absent). An empty list accepts none, as in WSO2.
 */
function allowedKeyManagers(names: readonly string[] | undefined): ReadonlySet<string> | null {
  if (names === undefined || names.includes('all')) return null;
  return new Set(names);
}

export function parseUpstream(url: string | null, api: SnapshotApi, logger: Logger): Upstream | null {
  if (url === null || url === '') return null;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:')
      throw new Error(`unsupported protocol ${u.protocol}`);
    return { url, origin: u.origin, basePath: u.pathname.replace(/\/+$/, '') };
  } catch (err) {
    logger.warn({ api: api.id, err: String(err) }, 'gateway: ignoring an invalid endpoint URL');
    return null;
  }
}

/** A key manager with its signing JWKs imported; a bad or unaccepted key is logged and skipped. */
export function compileKeyManager(km: SnapshotKeyManager, logger: Logger): CompiledKeyManager {
  const keys = new Map<string, VerificationKey>();
  for (const jwk of km.jwks) {
    if (jwk.use !== undefined && jwk.use !== 'sig') continue;
    const alg = (jwk as { alg?: unknown }).alg;
    if (alg !== undefined && !isJwsAlgorithm(alg)) {
      logger.warn(
        { keyManager: km.name, kid: jwk.kid, alg },
        'gateway: ignoring a JWK of an unaccepted algorithm',
      );
      continue;
    }
    try {
      const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
      keys.set(jwk.kid ?? '', Object.freeze({ key, alg: alg ?? null }));
    } catch (err) {
      logger.warn({ keyManager: km.name, kid: jwk.kid, err: String(err) }, 'gateway: ignoring a bad JWK');
    }
  }
  return Object.freeze({ keyManager: km, keys });
}

/** Fills `out` with the public key of each trust-store entry (alias → PEM); unreadable ones are logged and skipped. */
export function compileTrustedCerts(
  certs: Readonly<Record<string, string>>,
  out: Map<string, KeyObject>,
  logger: Logger,
): void {
  out.clear();
  for (const [alias, pem] of Object.entries(certs)) {
    try {
      out.set(alias, new X509Certificate(pem).publicKey);
    } catch {
      try {
        // Tolerate a bare public key in the trust store.
        out.set(alias, createPublicKey(pem));
      } catch (err) {
        logger.warn({ alias, err: String(err) }, 'gateway: ignoring an unreadable trust-store certificate');
      }
    }
  }
}
