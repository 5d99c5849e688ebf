/**
 * What one change costs a gateway: applying a one-delta batch to the live index versus recompiling the whole
 * snapshot, at N applications (each with a subscription and two key mappings, over 50 APIs). No sockets.
 *
 *   npx tsx bench/apply-deltas.ts [sizes=10000,100000] [deltas=2000]
 *
 * Prints, per size: full compile ms, and µs per applied delta for each delta kind (mean over `deltas`).
 */
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import {
  emptySnapshot,
  systemClock,
  type Snapshot,
  type SnapshotApplication,
  type SnapshotDelta,
} from '../src/core/index.js';
import { VerifiedTokenCache } from '../src/gateway/cache/verified-token-cache.js';
import { defaultGatewaySettings } from '../src/gateway/gateway-options.js';
import { InMemoryRateCounter } from '../src/gateway/handlers/throttling/rate-counter.js';
import { buildPipeline, type PipelineDeps } from '../src/gateway/pipeline/build-pipeline.js';
import { LiveIndex } from '../src/gateway/snapshot/live-index.js';
import { fixtureApi } from '../src/gateway/test-support/fixture-snapshot.js';

const sizes = (process.argv[2] ?? '10000,100000').split(',').map(Number);
const perKind = Number(process.argv[3] ?? 2000);
const logger = pino({ level: 'warn' });
const settings = defaultGatewaySettings();
const deps: PipelineDeps = {
  settings,
  clock: systemClock,
  logger,
  counter: new InMemoryRateCounter(),
  accessTokens: new VerifiedTokenCache(settings.tokenCache),
  apiKeys: new VerifiedTokenCache(settings.tokenCache),
  internalKeys: new VerifiedTokenCache(settings.tokenCache),
  backendJwts: new Map(),
};

const APIS = 50;
const app = (id: number, policy = 'Unlimited'): SnapshotApplication => ({
  id,
  uuid: `app-${id}`,
  name: `App ${id}`,
  owner: `user${id % 1000}`,
  throttlingPolicy: policy,
  attributes: {},
});

function snapshotOf(n: number): Snapshot {
  const apis = Array.from({ length: APIS }, (_, i) =>
    fixtureApi(`api${i}`, `/ctx${i}`, 'http://127.0.0.1:1'),
  );
  const applications = Array.from({ length: n }, (_, i) => app(i + 1));
  return {
    ...emptySnapshot(),
    version: 1,
    apis,
    applications,
    subscriptions: applications.map((a) => ({
      id: `sub-${a.id}`,
      apiId: `api${a.id % APIS}`,
      applicationId: a.id,
      policy: 'Unlimited',
      status: 'UNBLOCKED' as const,
    })),
    keyMappings: applications.flatMap(
      (a) =>
        [
          {
            consumerKey: `ck-${a.id}`,
            keyManager: 'Resident Key Manager',
            applicationId: a.id,
            keyType: 'PRODUCTION',
          },
          {
            consumerKey: `ck-${a.id}-sb`,
            keyManager: 'Resident Key Manager',
            applicationId: a.id,
            keyType: 'SANDBOX',
          },
        ] as const,
    ),
    policies: [
      {
        name: 'Unlimited',
        level: 'subscription',
        requestCount: null,
        unitTimeMs: 60_000,
        stopOnQuotaReach: true,
        burst: null,
      },
    ],
  };
}

const compile = (s: Snapshot): LiveIndex =>
  new LiveIndex(
    s,
    { buildPipeline: (api, r, idx) => buildPipeline(api, r, idx, deps), logger, clockSkewSeconds: 300 },
    Date.now(),
  );

/** A delta of each kind for iteration `i` (distinct keys, so nothing is a no-op). */
const makers: Record<string, (i: number, n: number) => SnapshotDelta> = {
  revocation: (i) => ({ kind: 'revocation', key: `jti-${i}`, exp: Math.floor(Date.now() / 1000) + 3600 }),
  application: (i, n) => ({
    kind: 'application',
    key: String((i % n) + 1),
    application: app((i % n) + 1, 'Gold'),
  }),
  subscription: (i, n) => {
    const applicationId = (i % n) + 1;
    const apiId = `api${(applicationId + 1) % APIS}`;
    return {
      kind: 'subscription',
      key: `sub-b-${i}`,
      apiId,
      applicationId,
      subscription: { id: `sub-b-${i}`, apiId, applicationId, policy: 'Unlimited', status: 'UNBLOCKED' },
    };
  },
  keymapping: (i, n) => ({
    kind: 'keymapping',
    key: `Resident Key Manager\nck-b-${i}`,
    mapping: {
      consumerKey: `ck-b-${i}`,
      keyManager: 'Resident Key Manager',
      applicationId: (i % n) + 1,
      keyType: 'PRODUCTION',
    },
  }),
  api: (i) => ({
    kind: 'api',
    key: `api${i % APIS}`,
    api: fixtureApi(`api${i % APIS}`, `/ctx${i % APIS}`, 'http://127.0.0.1:2'),
  }),
  'application removed': (i, n) => ({ kind: 'application', key: String(n - i), application: null }),
};

for (const n of sizes) {
  const snap = snapshotOf(n);
  const t0 = performance.now();
  const index = compile(snap);
  const fullMs = performance.now() - t0;
  const row: Record<string, string> = { applications: String(n), 'full compile ms': fullMs.toFixed(1) };
  for (const [kind, make] of Object.entries(makers)) {
    const count = Math.min(perKind, n - 1);
    const start = performance.now();
    for (let i = 0; i < count; i++) {
      const v = index.version + 1;
      index.apply({ from: v, to: v, deltas: [{ ...make(i, n), version: v }] }, Date.now());
    }
    row[`${kind} µs`] = (((performance.now() - start) / count) * 1000).toFixed(1);
  }
  console.log(JSON.stringify(row));
}
