import { X509Certificate, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type {
  Snapshot,
  SnapshotApi,
  SnapshotKeyMapping,
  SnapshotResource,
  SnapshotSubscription,
} from '../../core/index.js';
import { isJwsAlgorithm } from '../../crypto/jws/index.js';
import type { Handler } from '../pipeline/handler.js';
import { compileResourceTemplate } from '../router/resource-template.js';
import type {
  CompiledApi,
  CompiledKeyManager,
  CompiledResource,
  CompiledSnapshot,
  Upstream,
  VerificationKey,
} from './compiled-snapshot.js';

/** Builds the handler chain of one resource (called once per resource per snapshot). */
export type PipelineBuilder = (
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  index: CompiledSnapshot,
) => readonly Handler[];

const SERVED = new Set(['PUBLISHED', 'DEPRECATED', 'BLOCKED']);
const REALM = 'realm="WSO2 API Manager"';

/**
 * Compiles a snapshot into the immutable indexes the request path reads: routes, key managers with imported
 * JWKS, key mappings, applications, subscriptions per API, policies, trust-store keys, revoked jtis, and the
 * handler chain of every resource. Bad keys or endpoints are logged and skipped; they never fail the snapshot.
 * Only APIs in lifecycle PUBLISHED, DEPRECATED or BLOCKED are routed.
 */
export function compileSnapshot(
  snapshot: Snapshot,
  buildPipeline: PipelineBuilder,
  logger: Logger,
): CompiledSnapshot {
  const routes = new Map<string, CompiledApi>();
  const keyMappings = new Map<string, Map<string, SnapshotKeyMapping>>();
  for (const m of snapshot.keyMappings) {
    let byKey = keyMappings.get(m.keyManager);
    if (byKey === undefined) keyMappings.set(m.keyManager, (byKey = new Map()));
    byKey.set(m.consumerKey, m);
  }
  const subscriptionsByApi = new Map<string, Map<number, SnapshotSubscription>>();
  for (const s of snapshot.subscriptions) {
    let byApp = subscriptionsByApi.get(s.apiId);
    if (byApp === undefined) subscriptionsByApi.set(s.apiId, (byApp = new Map()));
    byApp.set(s.applicationId, s);
  }
  const revoked = new Map<string, number | null>();
  for (const r of snapshot.revokedTokens) revoked.set(r.jti, r.exp);

  const index: CompiledSnapshot = {
    version: snapshot.version,
    snapshot,
    routes,
    keyManagersByIssuer: compileKeyManagers(snapshot, logger),
    keyMappings,
    applications: new Map(snapshot.applications.map((a) => [a.id, a])),
    policies: new Map(snapshot.policies.map((p) => [p.name, p])),
    trustedKeys: compileTrustedCerts(snapshot, logger),
    revoked,
  };

  for (const api of snapshot.apis) {
    if (!SERVED.has(api.lifecycle)) continue;
    const base = compileApiBase(api, subscriptionsByApi.get(api.id) ?? new Map(), logger);
    const resources: CompiledResource[] = api.resources.map((resource) =>
      Object.freeze({
        resource,
        verb: resource.verb.toUpperCase(),
        template: compileResourceTemplate(resource.target),
        pipeline: Object.freeze([...buildPipeline(base, resource, index)]),
      }),
    );
    resources.sort((a, b) => b.template.specificity - a.template.specificity);
    routes.set(base.contextVersion, Object.freeze({ ...base, resources: Object.freeze(resources) }));
  }
  return Object.freeze(index);
}

function compileApiBase(
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
  const context = api.context.startsWith('/') ? api.context : `/${api.context}`;
  return {
    api,
    contextVersion: `${context.replace(/\/+$/, '')}/${api.version}`,
    blocked: api.lifecycle === 'BLOCKED',
    subscriptionsByApp,
    challenge: challenges.join(', '),
    apiKeyHeader: usesApiKey ? (api.apiKeyHeader || 'apikey').toLowerCase() : null,
    usesOAuth2,
    production: parseUpstream(api.endpoints.production, api, logger),
    sandbox: parseUpstream(api.endpoints.sandbox, api, logger),
  };
}

function parseUpstream(url: string | null, api: SnapshotApi, logger: Logger): Upstream | null {
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

function compileKeyManagers(snapshot: Snapshot, logger: Logger): Map<string, CompiledKeyManager> {
  const out = new Map<string, CompiledKeyManager>();
  for (const km of snapshot.keyManagers) {
    if (!km.enabled) continue;
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
    out.set(km.issuer, Object.freeze({ keyManager: km, keys }));
  }
  return out;
}

function compileTrustedCerts(snapshot: Snapshot, logger: Logger): Map<string, KeyObject> {
  const out = new Map<string, KeyObject>();
  for (const [alias, pem] of Object.entries(snapshot.trustedCerts)) {
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
  return out;
}
