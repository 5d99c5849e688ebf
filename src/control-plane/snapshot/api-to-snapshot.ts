import type {
  ApiLifecycle,
  SecurityScheme,
  SnapshotApi,
  SnapshotCors,
  SnapshotRate,
  SnapshotResource,
} from '../../core/index.js';
import { AUTH_TYPE_APP_AND_USER, subscriptionlessTier } from '../../core/index.js';

/** The parts of a Publisher API DTO (WSO2 v4 shape) the gateway needs. Other fields are ignored here. */
export interface ApiDefinitionForGateway {
  id: string;
  name: string;
  context: string;
  version: string;
  provider?: string;
  securityScheme?: string[];
  apiKeyHeader?: string;
  apiThrottlingPolicy?: string | null;
  /** Business plans (subscription tiers); only subscriptionless ones make the API subscriptionless. */
  policies?: string[];
  endpointConfig?: {
    production_endpoints?: { url?: string; config?: { actionDuration?: number | string } } | null;
    sandbox_endpoints?: { url?: string; config?: { actionDuration?: number | string } } | null;
  } | null;
  operations?: {
    target?: string;
    verb?: string;
    authType?: string;
    throttlingPolicy?: string | null;
    scopes?: string[];
  }[];
  /** WSO2 `APICorsConfiguration`; applied by the gateway only when `corsConfigurationEnabled`. */
  corsConfiguration?: {
    corsConfigurationEnabled?: boolean;
    accessControlAllowOrigins?: string[];
    accessControlAllowCredentials?: boolean;
    accessControlAllowHeaders?: string[];
    accessControlAllowMethods?: string[];
  } | null;
  /** WSO2 `APIMaxTps` (backend throttling). */
  maxTps?: {
    production?: number | null;
    productionTimeUnit?: string;
    sandbox?: number | null;
    sandboxTimeUnit?: string;
  } | null;
  /** Key managers whose tokens the API accepts (`["all"]` = every one). */
  keyManagers?: string[];
}

const DEFAULT_TIMEOUT_MS = 30_000;
const SCHEMES: readonly SecurityScheme[] = [
  'oauth2',
  'api_key',
  'basic_auth',
  'oauth_basic_auth_api_key_mandatory',
];

/** Maps a deployed API definition to the gateway's snapshot form. */
export function apiToSnapshot(def: ApiDefinitionForGateway, lifecycle: ApiLifecycle): SnapshotApi {
  const prod = def.endpointConfig?.production_endpoints ?? null;
  const sandbox = def.endpointConfig?.sandbox_endpoints ?? null;
  const timeout = Number(
    prod?.config?.actionDuration ?? sandbox?.config?.actionDuration ?? DEFAULT_TIMEOUT_MS,
  );
  const schemes = (def.securityScheme ?? ['oauth2']).filter((s): s is SecurityScheme =>
    SCHEMES.includes(s as SecurityScheme),
  );
  const resources: SnapshotResource[] = (def.operations ?? []).map((op) => ({
    verb: (op.verb ?? 'GET').toUpperCase(),
    target: op.target ?? '/*',
    authType: op.authType ?? AUTH_TYPE_APP_AND_USER,
    throttlingPolicy: op.throttlingPolicy ?? 'Unlimited',
    scopes: op.scopes ?? [],
  }));
  return {
    id: def.id,
    name: def.name,
    // A `{version}` template stays as it is: the gateway resolves it (`gatewayPathOf`).
    context: def.context.replace(/\/+$/, '').replace(new RegExp(`/${escapeRe(def.version)}$`), '') || '/',
    version: def.version,
    provider: def.provider ?? 'admin',
    lifecycle,
    securitySchemes: schemes.length ? schemes : ['oauth2'],
    apiKeyHeader: def.apiKeyHeader || 'apikey',
    apiThrottlingPolicy: def.apiThrottlingPolicy ?? null,
    subscriptionlessTier: subscriptionlessTier(def.policies),
    endpoints: {
      production: prod?.url ?? null,
      sandbox: sandbox?.url ?? null,
      timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS,
    },
    resources,
    cors: corsOf(def.corsConfiguration),
    maxTps: maxTpsOf(def.maxTps),
    // As WSO2: absent means every key manager; an empty list accepts none.
    keyManagers: def.keyManagers ?? ['all'],
  };
}

function corsOf(c: ApiDefinitionForGateway['corsConfiguration']): SnapshotCors | null {
  if (c?.corsConfigurationEnabled !== true) return null;
  return {
    allowOrigins: c.accessControlAllowOrigins ?? [],
    allowMethods: c.accessControlAllowMethods ?? [],
    allowHeaders: c.accessControlAllowHeaders ?? [],
    allowCredentials: c.accessControlAllowCredentials === true,
  };
}

const UNIT_MS: Readonly<Record<string, number>> = { SECOND: 1000, MINUTE: 60_000, HOUR: 3_600_000 };

function maxTpsOf(m: ApiDefinitionForGateway['maxTps']): SnapshotApi['maxTps'] {
  if (m === undefined || m === null) return null;
  const rate = (count: number | null | undefined, unit: string | undefined): SnapshotRate | null =>
    typeof count === 'number' && Number.isInteger(count) && count >= 0
      ? { count, unitMs: UNIT_MS[unit ?? 'SECOND'] ?? 1000 }
      : null;
  const production = rate(m.production, m.productionTimeUnit);
  const sandbox = rate(m.sandbox, m.sandboxTimeUnit);
  return production === null && sandbox === null ? null : { production, sandbox };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
