import {
  SNAPSHOT_SCHEMA,
  type JsonWebKeyPublic,
  type Snapshot,
  type SnapshotApi,
  type SnapshotResource,
  type SnapshotSubscription,
  type SubscriptionStatus,
} from '../../core/index.js';
import { apiKeySigner } from './mint-tokens.js';

export const KM_ISSUER = 'https://localhost:9443/oauth2/token';
export const KM_NAME = 'Resident Key Manager';

/** Application ids of the fixture and what their subscription to PizzaShack looks like. */
export const APPS = {
  subscribed: 1,
  blocked: 2,
  prodOnlyBlocked: 3,
  onHold: 4,
  unsubscribed: 5,
  appLimited: 6,
  subLimited: 7,
  burst: 8,
  rejected: 9,
} as const;

const res = (verb: string, target: string, extra: Partial<SnapshotResource> = {}): SnapshotResource => ({
  verb,
  target,
  authType: 'Application & Application User',
  throttlingPolicy: 'Unlimited',
  scopes: [],
  ...extra,
});

/** Builds an API of the fixture. */
export function fixtureApi(
  id: string,
  context: string,
  upstream: string,
  extra: Partial<SnapshotApi> = {},
): SnapshotApi {
  return {
    id,
    name: `${id}-name`,
    context,
    version: '1.0.0',
    provider: 'admin',
    lifecycle: 'PUBLISHED',
    securitySchemes: ['oauth2', 'api_key'],
    apiKeyHeader: 'ApiKey',
    apiThrottlingPolicy: null,
    endpoints: { production: `${upstream}/prod/api/`, sandbox: `${upstream}/sandbox`, timeoutMs: 400 },
    resources: [
      res('GET', '/menu'),
      res('GET', '/order/{orderId}'),
      res('POST', '/order'),
      res('GET', '/order/special'),
      res('GET', '/files/*'),
      res('GET', '/scoped', { scopes: ['pizza:read', 'pizza:admin'] }),
      res('GET', '/open', { authType: 'None' }),
      res('GET', '/open-limited', { authType: 'None', throttlingPolicy: '2PerMin' }),
      res('GET', '/limited', { throttlingPolicy: '2PerMin' }),
      res('GET', '/slow'),
    ],
    ...extra,
  };
}

/** The fixture snapshot: PizzaShack-like APIs against `upstream`, the test key manager and trust store. */
export function fixtureSnapshot(upstream: string, kmJwk: JsonWebKeyPublic, version = 1): Snapshot {
  const apps = Object.entries(APPS).map(([name, id]) => ({
    id,
    uuid: `app-uuid-${id}`,
    name,
    owner: 'admin',
    throttlingPolicy: id === APPS.appLimited ? '2PerMin' : 'Unlimited',
    attributes: { team: 'pizza' },
  }));
  const status: Record<number, SubscriptionStatus> = {
    [APPS.blocked]: 'BLOCKED',
    [APPS.prodOnlyBlocked]: 'PROD_ONLY_BLOCKED',
    [APPS.onHold]: 'ON_HOLD',
    [APPS.rejected]: 'REJECTED',
  };
  const subscriptions: SnapshotSubscription[] = apps
    .filter((a) => a.id !== APPS.unsubscribed)
    .flatMap((a) =>
      ['pizza', 'down', 'keyless', 'api-limited'].map((apiId) => ({
        id: `sub-${a.id}-${apiId}`,
        applicationId: a.id,
        apiId,
        policy: a.id === APPS.subLimited ? '3PerMin' : a.id === APPS.burst ? 'Bursty' : 'Unlimited',
        status: status[a.id] ?? 'UNBLOCKED',
      })),
    );
  return {
    schema: SNAPSHOT_SCHEMA,
    version,
    createdAt: 0,
    apis: [
      fixtureApi('pizza', '/pizzashack', upstream),
      fixtureApi('blocked', '/blocked', upstream, { lifecycle: 'BLOCKED' }),
      fixtureApi('draft', '/draft', upstream, { lifecycle: 'CREATED' }),
      fixtureApi('api-limited', '/apilimited', upstream, { apiThrottlingPolicy: '2PerMin' }),
      fixtureApi('keyless', '/keyless', upstream, {
        endpoints: { production: null, sandbox: `${upstream}/sb`, timeoutMs: 400 },
      }),
    ],
    applications: apps,
    keyMappings: apps.flatMap((a) => [
      { consumerKey: `ck-${a.id}`, keyManager: KM_NAME, applicationId: a.id, keyType: 'PRODUCTION' as const },
      { consumerKey: `ck-${a.id}-sb`, keyManager: KM_NAME, applicationId: a.id, keyType: 'SANDBOX' as const },
    ]),
    subscriptions,
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
        name: '2PerMin',
        level: 'api',
        requestCount: 2,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      },
      {
        name: '3PerMin',
        level: 'subscription',
        requestCount: 3,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      },
      {
        name: 'Bursty',
        level: 'subscription',
        requestCount: 1000,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: { limit: 2, unit: 'sec' },
      },
    ],
    keyManagers: [
      {
        name: KM_NAME,
        type: 'default',
        issuer: KM_ISSUER,
        enabled: true,
        consumerKeyClaim: 'azp',
        scopesClaim: 'scope',
        validation: 'jwks',
        jwks: [kmJwk],
        jwksUri: null,
        introspectionEndpoint: null,
        introspectionAuth: null,
      },
    ],
    trustedCerts: { gateway_certificate_alias: apiKeySigner.certPem },
    revokedTokens: [],
  };
}
