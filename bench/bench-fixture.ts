/**
 * The benchmark's snapshot and credentials: one API `/bench/1.0.0` with an anonymous resource (`GET /open`) and a
 * secured one (`GET /menu`), two subscribed applications (one on `Unlimited`, one on a Gold-like policy with a
 * quota that cannot trip during a run), a resident key manager whose JWK verifies the bench's OAuth2 JWTs, and a
 * trusted certificate (alias = API-key `kid`) that verifies the bench's WSO2-format API keys.
 */
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { SNAPSHOT_SCHEMA, type JsonWebKeyPublic, type Snapshot } from '../src/core/index.js';
import { signCompactJws, x5tOfCert } from '../src/crypto/index.js';
import { apiKeySigner } from '../src/gateway/test-support/mint-tokens.js';

export const ISSUER = 'https://localhost:9443/oauth2/token';
export const KM_NAME = 'Resident Key Manager';
export const KID = 'bench-km-key';
export const API_KEY_ALIAS = 'gateway_certificate_alias';
/** Application 1: subscription `Unlimited`, application policy `Unlimited`. */
export const APP_UNLIMITED = 1;
/** Application 2: subscription `BenchGold`, application policy `BenchApp` (both counted on every request). */
export const APP_GOLD = 2;

/** Gold is 5000/min in WSO2; a run sends ~200k requests, so the bench's Gold-like quota is 10^9/min. */
const HUGE = 1_000_000_000;

/** The key manager's signing key pair (generated per run). */
export function kmKeys(): { privateKey: KeyObject; jwk: JsonWebKeyPublic } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = publicKey.export({ format: 'jwk' }) as { kty: string; n: string; e: string };
  return { privateKey, jwk: { kty: jwk.kty, n: jwk.n, e: jwk.e, kid: KID, alg: 'RS256', use: 'sig' } };
}

/** The snapshot served by every gateway of the run. */
export function benchSnapshot(upstream: string, jwk: JsonWebKeyPublic): Snapshot {
  const res = (target: string, authType: string) => ({
    verb: 'GET',
    target,
    authType,
    throttlingPolicy: 'Unlimited',
    scopes: [],
  });
  const app = (id: number, throttlingPolicy: string) => ({
    id,
    uuid: `bench-app-${id}`,
    name: `bench-app-${id}`,
    owner: 'admin',
    throttlingPolicy,
    attributes: {},
  });
  return {
    schema: SNAPSHOT_SCHEMA,
    version: 1,
    createdAt: Date.now(),
    apis: [
      {
        id: 'bench',
        name: 'Bench',
        context: '/bench',
        version: '1.0.0',
        provider: 'admin',
        lifecycle: 'PUBLISHED',
        securitySchemes: ['oauth2', 'api_key'],
        apiKeyHeader: 'ApiKey',
        apiThrottlingPolicy: null,
        endpoints: { production: `${upstream}/api`, sandbox: null, timeoutMs: 30_000 },
        resources: [res('/open', 'None'), res('/menu', 'Application & Application User')],
      },
    ],
    applications: [app(APP_UNLIMITED, 'Unlimited'), app(APP_GOLD, 'BenchApp')],
    keyMappings: [APP_UNLIMITED, APP_GOLD].map((id) => ({
      consumerKey: `bench-ck-${id}`,
      keyManager: KM_NAME,
      applicationId: id,
      keyType: 'PRODUCTION' as const,
    })),
    subscriptions: [
      { id: 's1', applicationId: APP_UNLIMITED, apiId: 'bench', policy: 'Unlimited', status: 'UNBLOCKED' },
      { id: 's2', applicationId: APP_GOLD, apiId: 'bench', policy: 'BenchGold', status: 'UNBLOCKED' },
    ],
    policies: [
      {
        name: 'Unlimited',
        level: 'subscription',
        requestCount: null,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      },
      {
        name: 'BenchGold',
        level: 'subscription',
        requestCount: HUGE,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: { limit: HUGE, unit: 'sec' },
      },
      {
        name: 'BenchApp',
        level: 'application',
        requestCount: HUGE,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      },
    ],
    keyManagers: [
      {
        name: KM_NAME,
        type: 'default',
        issuer: ISSUER,
        enabled: true,
        consumerKeyClaim: 'azp',
        scopesClaim: 'scope',
        validation: 'jwks',
        jwks: [jwk],
        jwksUri: null,
        introspectionEndpoint: null,
        introspectionAuth: null,
      },
    ],
    trustedCerts: { [API_KEY_ALIAS]: apiKeySigner.certPem },
    revokedTokens: [],
  };
}

/** An OAuth2 access token of the resident key manager for application `appId` (RFC 7515, unpadded). */
export function mintJwt(privateKey: KeyObject, appId: number): string {
  const now = Math.floor(Date.now() / 1000);
  return signCompactJws({
    header: { typ: 'at+jwt', kid: KID },
    payload: {
      sub: 'admin',
      aut: 'APPLICATION_USER',
      iss: ISSUER,
      aud: `bench-ck-${appId}`,
      azp: `bench-ck-${appId}`,
      client_id: `bench-ck-${appId}`,
      scope: 'default',
      iat: now,
      nbf: now,
      exp: now + 3600,
      jti: randomUUID(),
    },
    privateKey,
    alg: 'RS256',
    padded: false,
  });
}

/** A lightweight WSO2 API key (every segment `=`-padded) signed by the trusted `gateway_certificate_alias` key. */
export function mintApiKey(appId: number): string {
  const now = Math.floor(Date.now() / 1000);
  return signCompactJws({
    header: { x5t: x5tOfCert(apiKeySigner.certificate), kid: API_KEY_ALIAS, typ: 'JWT' },
    payload: {
      sub: 'admin@carbon.super',
      jti: randomUUID(),
      iss: ISSUER,
      iat: now,
      application: { id: appId, uuid: `bench-app-${appId}` },
      keytype: 'PRODUCTION',
      token_type: 'apiKey',
    },
    privateKey: apiKeySigner.privateKey,
    alg: 'RS256',
    padded: true,
  });
}
