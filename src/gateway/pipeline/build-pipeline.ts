import type { Logger } from 'pino';
import { AUTH_TYPE_NONE, type Clock, type SnapshotResource } from '../../core/index.js';
import type { VerifiedTokenCache } from '../cache/verified-token-cache.js';
import type { GatewayOptions, GatewaySettings } from '../gateway-options.js';
import { apiKeyAuthenticator, type VerifiedApiKey } from '../handlers/api-key/api-key-authenticator.js';
import { authenticationHandler } from '../handlers/authentication/authentication-handler.js';
import {
  denyByPrincipalHandler,
  denyByRequestHandler,
} from '../handlers/deny-policy/deny-policy-handlers.js';
import { backendJwtHandler, type BackendJwtCache } from '../handlers/backend-jwt/backend-jwt-handler.js';
import {
  internalKeyAuthenticator,
  type VerifiedInternalKey,
} from '../handlers/internal-key/internal-key-authenticator.js';
import { oauth2Authenticator, type VerifiedAccessToken } from '../handlers/oauth2/oauth2-authenticator.js';
import { scopeCheckHandler } from '../handlers/oauth2/scope-check-handler.js';
import { backendThrottleHandler } from '../handlers/throttling/backend-throttle-handler.js';
import type { RateCounter } from '../handlers/throttling/rate-counter.js';
import {
  advancedThrottleHandler,
  applicationThrottleHandler,
  subscriptionThrottleHandler,
} from '../handlers/throttling/throttle-handlers.js';
import type { CompiledApi, CompiledSnapshot } from '../snapshot/compiled-snapshot.js';
import type { Handler } from './handler.js';

/** Long-lived state the handlers of every snapshot share. */
export interface PipelineDeps {
  readonly settings: GatewaySettings;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly counter: RateCounter;
  readonly accessTokens: VerifiedTokenCache<VerifiedAccessToken>;
  readonly apiKeys: VerifiedTokenCache<VerifiedApiKey>;
  readonly internalKeys: VerifiedTokenCache<VerifiedInternalKey>;
  readonly backendJwts: BackendJwtCache;
  readonly onApiKeyUsed?: GatewayOptions['onApiKeyUsed'];
  readonly onUnknownKid?: GatewayOptions['onUnknownKid'];
  readonly apiKeyHashSecret?: GatewayOptions['apiKeyHashSecret'];
}

/**
 * Builds the handler chain of one resource, in request order: deny policies on the API and client IP →
 * authentication (internal key, then OAuth2, then API key, with the subscription check) → deny policies on the application and user
 * → scopes → advanced (API/resource) throttling → burst + subscription throttling →
 * application throttling → backend throttling (`maxTps`) → backend JWT. Each factory returns null when the resource does not need it.
 *
 * @example
 * compileSnapshot(snapshot, (api, resource, index) => buildPipeline(api, resource, index, deps), logger);
 */
export function buildPipeline(
  api: Omit<CompiledApi, 'resources'>,
  resource: SnapshotResource,
  index: CompiledSnapshot,
  deps: PipelineDeps,
): Handler[] {
  const skew = deps.settings.clockSkewSeconds;
  const throttle = { index, counter: deps.counter, logger: deps.logger };
  const chain: (Handler | null)[] = [
    denyByRequestHandler(api, index),
    authenticationHandler(api, resource, [
      // Every API accepts the Publisher's internal keys, first (WSO2 adds the authenticator with priority -10).
      internalKeyAuthenticator(api, { index, cache: deps.internalKeys, clockSkewSeconds: skew }),
      oauth2Authenticator(api, {
        index,
        cache: deps.accessTokens,
        clockSkewSeconds: skew,
        onUnknownKid: deps.onUnknownKid,
        opaqueTokenSecret: deps.apiKeyHashSecret,
      }),
      apiKeyAuthenticator(api, {
        index,
        cache: deps.apiKeys,
        clockSkewSeconds: skew,
        onApiKeyUsed: deps.onApiKeyUsed,
        apiKeyHashSecret: deps.apiKeyHashSecret,
      }),
    ]),
    denyByPrincipalHandler(index),
    scopeCheckHandler(resource),
    advancedThrottleHandler(api, resource, throttle),
    subscriptionThrottleHandler(api, resource, throttle),
    applicationThrottleHandler(resource, throttle),
    backendThrottleHandler(api, deps.counter),
    backendJwtHandler(api, resource.authType === AUTH_TYPE_NONE, deps.settings, deps.backendJwts, deps.clock),
  ];
  return chain.filter((h) => h !== null);
}
